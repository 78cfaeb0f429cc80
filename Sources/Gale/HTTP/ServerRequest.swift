/// One HTTP request, as every transport hands it to the application.
///
/// Tornado: `tornado.httputil.HTTPServerRequest`. A plain value: the NIO server, FastCGI and
/// CGI each build one from their own input, and the core never learns which did.
public struct ServerRequest: Sendable {
    /// The request method, e.g. `GET`.
    public var method: String
    /// The request target as sent: path and query, still percent-encoded.
    public var uri: String
    /// The protocol version, e.g. `HTTP/1.1`.
    public var version: String
    /// The request headers.
    public var headers: HTTPHeaders
    /// The request body (empty when there is none).
    public var body: [UInt8]
    /// The client's address. Tornado: `remote_ip`. Behind a proxy with `xheaders`, the
    /// address from `X-Real-Ip` / `X-Forwarded-For`.
    public var remoteIP: String
    /// `http` or `https`. Tornado: `protocol`. Gale's own server says `https` on its TLS
    /// connections; with `xheaders`, a trusted proxy's `X-Scheme` or `X-Forwarded-Proto` wins.
    public var `protocol`: String
    /// The certificate the client presented on this TLS connection, when the server asked for
    /// one (`TLSOptions.clientCertificates`) and it was verified; `nil` on plain HTTP and under
    /// FastCGI and CGI. Tornado: `request.get_ssl_certificate()`.
    public var clientCertificate: ClientCertificate?
    /// When the transport started reading the request; `requestTime` counts from here.
    public var startTime: ContinuousClock.Instant

    /// Creates a request. `host` defaults to the `Host` header.
    public init(
        method: String,
        uri: String,
        version: String = "HTTP/1.1",
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        remoteIP: String = "127.0.0.1",
        protocol: String = "http",
        clientCertificate: ClientCertificate? = nil,
        startTime: ContinuousClock.Instant = .now
    ) {
        self.method = method
        self.uri = uri
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteIP = remoteIP
        self.protocol = `protocol`
        self.clientCertificate = clientCertificate
        self.startTime = startTime
    }

    /// The path part of `uri`, still percent-encoded (routes match against this).
    public var path: String { Self.path(ofURI: uri) }

    /// The path part of a request target, for transports that route before building the
    /// request.
    package static func path(ofURI uri: String) -> String {
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return String(uri[..<mark])
        }
        return uri
    }

    /// The query string without the `?`, still percent-encoded; empty when absent.
    public var query: String {
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            return String(uri[uri.utf8.index(after: mark)...])
        }
        return ""
    }

    /// The `Host` header, or `127.0.0.1` when the client sent none (HTTP/1.0).
    public var host: String {
        headers["Host"] ?? "127.0.0.1"
    }

    /// The host without its port. Tornado: `host_name`.
    public var hostName: String {
        let host = self.host
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            return String(host[host.index(after: host.startIndex)..<close])
        }
        if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            return String(host[..<colon])
        }
        return host
    }

    /// The whole URL the client asked for. Tornado: `full_url()`.
    public var fullURL: String {
        "\(`protocol`)://\(host)\(uri)"
    }

    /// Seconds since the request started. Tornado: `request_time()`.
    public var requestTime: Duration {
        ContinuousClock.now - startTime
    }

    /// The cookies the client sent, by name (the last one wins on repeats, as in Tornado).
    public var cookies: [String: String] {
        var result: [String: String] = [:]
        for header in headers.values(for: "Cookie") {
            for (name, value) in CookieParser.parse(header) {
                result[name] = value
            }
        }
        return result
    }
}
