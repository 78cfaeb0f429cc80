import HTTPTypes

// The request as swift-http-types' `HTTPRequest`, the value Hummingbird 2 and the OpenAPI
// runtime take, and back.

extension ServerRequest {
    /// The method as swift-http-types' value (`request.httpMethod == .post`); `nil` when
    /// `method` is not an RFC 9110 token, which only a hand-made request or a CGI host's
    /// `REQUEST_METHOD` can hold (Gale's server refuses such a request line).
    public var httpMethod: HTTPRequest.Method? {
        HTTPRequest.Method(method)
    }

    /// The request's head as swift-http-types' `HTTPRequest`: `method`, `scheme` from
    /// `protocol`, `authority` from the `Host` header, `path` from `uri` (query included), and
    /// the other headers in order, with duplicates and the case of names kept.
    ///
    /// As in swift-nio-extras' HTTP/1 conversion, `Host` becomes the authority and leaves the
    /// header fields (its repeats, if any, stay). A header whose name is not a token is left
    /// out, as `HTTPFields(_:)` does. A method that is not a token cannot be expressed at all:
    /// that throws a 400 `HTTPError`, which ends the request as bad input would.
    public var httpRequest: HTTPRequest {
        get throws(HTTPError) {
            guard let method = httpMethod else {
                throw HTTPError(400, logMessage: "method \(self.method.debugDescription) is not a token")
            }
            var fields = HTTPFields()
            fields.reserveCapacity(headers.count)
            var authority: String?
            for (name, value) in headers {
                guard let name = HTTPField.Name(name) else { continue }
                if authority == nil && name.canonicalName == "host" {
                    authority = value
                } else {
                    fields.append(HTTPField(name: name, value: value))
                }
            }
            return HTTPRequest(
                method: method, scheme: `protocol`, authority: authority, path: uri, headerFields: fields)
        }
    }

    /// A request from swift-http-types' `HTTPRequest` and its body: `method`, `uri` from
    /// `path` (`/` when it has none, as a `CONNECT` request), `protocol` from `scheme`
    /// (`http` when it has none), a `Host` header first from `authority` when the fields have
    /// none, then the header fields in order. Every name and value is already valid.
    public init(
        _ request: HTTPRequest,
        body: [UInt8] = [],
        version: String = "HTTP/1.1",
        remoteIP: String = "127.0.0.1",
        startTime: ContinuousClock.Instant = .now
    ) {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headerFields.count + 1)
        // swift-http-types keeps `Host` apart (`HTTPField.Name.host` is unavailable).
        let hasHost = request.headerFields.contains { $0.name.canonicalName == "host" }
        if let authority = request.authority, !hasHost { headers.add("Host", authority) }
        for field in request.headerFields { headers.add(field.name.rawName, field.value) }
        self.init(
            method: request.method.rawValue,
            uri: request.path ?? "/",
            version: version,
            headers: headers,
            body: body,
            remoteIP: remoteIP,
            protocol: request.scheme ?? "http",
            startTime: startTime
        )
    }
}
