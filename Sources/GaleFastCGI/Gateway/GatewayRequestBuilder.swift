import Gale

/// Turns CGI/1.1 meta-variables (RFC 3875 §4.1, and the set nginx's stock `fastcgi_params`
/// sends) into the core's `ServerRequest`. Shared by the CGI and FastCGI adapters: both hand
/// the application the same variables.
public enum GatewayRequestBuilder {
    /// Why the variables do not describe a request; the gateway answers 400.
    public struct InvalidRequest: Error, Sendable, CustomStringConvertible {
        /// What is missing or wrong.
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// The request line and headers from `variables`; the body is read by the caller, using
    /// `contentLength(_:)`.
    public static func request(from variables: [String: String], body: [UInt8]) throws(InvalidRequest)
        -> ServerRequest
    {
        guard let method = variables["REQUEST_METHOD"], !method.isEmpty,
            method.utf8.allSatisfy({ (0x41...0x5A).contains($0) || $0 == UInt8(ascii: "-") })
        else {
            throw InvalidRequest("REQUEST_METHOD is missing or not a method name")
        }
        var headers = HTTPHeaders()
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) where name.hasPrefix("HTTP_") {
            headers.add(headerName(fromVariable: String(name.dropFirst(5))), value)
        }
        if let type = variables["CONTENT_TYPE"], !type.isEmpty { headers.replaceOrAdd("Content-Type", type) }
        if !body.isEmpty { headers.replaceOrAdd("Content-Length", String(body.count)) }
        if headers["Host"] == nil, let server = variables["SERVER_NAME"] {
            let port = variables["SERVER_PORT"].map { ":" + $0 } ?? ""
            headers.add("Host", server + (port == ":80" || port == ":443" ? "" : port))
        }
        let scheme =
            variables["REQUEST_SCHEME"]?.lowercased()
            ?? (variables["HTTPS"].map { $0.lowercased() == "on" || $0 == "1" } == true ? "https" : "http")
        return ServerRequest(
            method: method,
            uri: uri(from: variables),
            version: variables["SERVER_PROTOCOL"] ?? "HTTP/1.1",
            headers: headers,
            body: body,
            remoteIP: variables["REMOTE_ADDR"] ?? "",
            protocol: scheme == "https" ? "https" : "http"
        )
    }

    /// The CGI variables a web server sets for `method target` with `headers` and a body of
    /// `bodyLength` bytes, from a local client: the inverse of `request(from:body:)`, for
    /// the one-shot `request` command and tests.
    public static func variables(method: String, target: String, headers: HTTPHeaders, bodyLength: Int)
        -> [String: String]
    {
        var variables = [
            "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": method, "REQUEST_URI": target,
            "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "REMOTE_ADDR": "127.0.0.1",
            "QUERY_STRING": target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "",
        ]
        for (name, value) in headers {
            let variable = String(name.uppercased().map { $0 == "-" ? "_" : $0 })
            switch variable {
            case "CONTENT_TYPE", "CONTENT_LENGTH": variables[variable] = value
            default: variables["HTTP_" + variable] = value
            }
        }
        if bodyLength > 0 && variables["CONTENT_LENGTH"] == nil { variables["CONTENT_LENGTH"] = String(bodyLength) }
        return variables
    }

    /// `CONTENT_LENGTH` as a byte count: 0 when absent or empty (RFC 3875 §4.1.2).
    public static func contentLength(_ variables: [String: String]) throws(InvalidRequest) -> Int {
        guard let text = variables["CONTENT_LENGTH"], !text.isEmpty else { return 0 }
        guard text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let length = Int(text) else {
            throw InvalidRequest("CONTENT_LENGTH is not a number: \(text.debugDescription)")
        }
        return length
    }

    /// The request target as the client sent it: `REQUEST_URI` when the host passes it (nginx,
    /// lighttpd, Apache all do), else `SCRIPT_NAME` + `PATH_INFO` re-encoded, plus the query.
    /// Routing sees the path the user asked for, whatever the split into script and path info.
    static func uri(from variables: [String: String]) -> String {
        if let requestURI = variables["REQUEST_URI"], requestURI.hasPrefix("/") { return requestURI }
        let path = (variables["SCRIPT_NAME"] ?? "") + (variables["PATH_INFO"] ?? "")
        let encoded = URLEncoding.encode(path.isEmpty ? "/" : path, plus: false, keepSlash: true)
        let query = variables["QUERY_STRING"] ?? ""
        return query.isEmpty ? encoded : encoded + "?" + query
    }

    /// `ACCEPT_LANGUAGE` → `Accept-Language`.
    static func headerName(fromVariable variable: String) -> String {
        variable.lowercased().split(separator: "_", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: "-")
    }
}
