import Gale

/// A request for `AsyncHTTPClient.fetch`. Tornado: `tornado.httpclient.HTTPRequest`; the
/// defaults are Tornado's.
public struct HTTPRequest: Sendable {
    /// The URL, `http://` or `https://`.
    public var url: String
    /// The method. Tornado: `method`.
    public var method: String
    /// Request headers. Tornado: `headers`.
    public var headers: HTTPHeaders
    /// The body; `nil` for none. Tornado: `body`.
    public var body: [UInt8]?
    /// How long the whole exchange may take, redirects included. Tornado: `request_timeout` (20 s).
    public var requestTimeout: Duration
    /// Follow 301, 302, 303, 307 and 308 answers. Tornado: `follow_redirects`.
    public var followRedirects: Bool
    /// How many redirects to follow at most; past that, the redirect itself is the answer (an
    /// error unless `raiseError` is off). Tornado: `max_redirects` (5).
    public var maxRedirects: Int
    /// The largest response body kept, in bytes; larger fails with 599. Tornado: `max_body_size`.
    public var maxBodySize: Int
    /// Called with each piece of the body as it arrives, instead of collecting it into
    /// `HTTPResponse.body` (which stays empty). Tornado: `streaming_callback`.
    public var streamingCallback: (@Sendable ([UInt8]) async throws -> Void)?
    /// Throw `HTTPClientError` for answers that are not 2xx. Tornado: `raise_error`.
    public var raiseError: Bool

    /// Creates a request; every argument has Tornado's default.
    public init(
        _ url: String, method: String = "GET", headers: HTTPHeaders = [:], body: [UInt8]? = nil,
        requestTimeout: Duration = .seconds(20), followRedirects: Bool = true, maxRedirects: Int = 5,
        maxBodySize: Int = 100 * 1024 * 1024, streamingCallback: (@Sendable ([UInt8]) async throws -> Void)? = nil,
        raiseError: Bool = true
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.requestTimeout = requestTimeout
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.maxBodySize = maxBodySize
        self.streamingCallback = streamingCallback
        self.raiseError = raiseError
    }
}

/// What `AsyncHTTPClient.fetch` got back. Tornado: `tornado.httpclient.HTTPResponse`.
public struct HTTPResponse: Sendable {
    /// The request as finally sent (after redirects, the last one's URL and method).
    public var request: HTTPRequest
    /// The status code. Tornado: `code`.
    public var code: Int
    /// The reason phrase. Tornado: `reason`.
    public var reason: String
    /// The response headers.
    public var headers: HTTPHeaders
    /// The body; empty with a `streamingCallback`.
    public var body: [UInt8]
    /// The URL answered, after redirects. Tornado: `effective_url`.
    public var effectiveURL: String
    /// How long the fetch took, redirects included. Tornado: `request_time`.
    public var requestTime: Duration

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A fetch that failed: a non-2xx answer (with `response`), or no answer at all (code 599:
/// refused, unreachable, timed out, too large). Tornado: `tornado.httpclient.HTTPClientError`.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The status code, or 599 when there was no answer.
    public var code: Int
    /// What went wrong.
    public var message: String
    /// The answer, when there was one.
    public var response: HTTPResponse?

    public var description: String { "HTTP \(code): \(message)" }
}
