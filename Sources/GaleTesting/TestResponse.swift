import Gale

/// A response as a test sees it, whichever transport carried it.
public struct TestResponse: Sendable {
    /// The status code.
    public var status: Int
    /// The reason phrase.
    public var reason: String
    /// The response headers (for a live server, as sent on the wire, with `Date`).
    public var headers: HTTPHeaders
    /// The body bytes (de-chunked).
    public var body: [UInt8]
    /// How many separate writes carried the body (the in-memory client only; 1 for a
    /// response finished in one go, more when the handler flushed).
    public var chunkCount: Int

    /// Creates a response value.
    public init(status: Int, reason: String, headers: HTTPHeaders, body: [UInt8], chunkCount: Int = 1) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.chunkCount = chunkCount
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The value `Set-Cookie` gave cookie `name`, exactly as a browser sends it back (quotes
    /// included); `nil` when the response did not set it.
    public func cookie(_ name: String) -> String? {
        for header in headers.values(for: "Set-Cookie") where header.hasPrefix(name + "=") {
            let value = header.dropFirst(name.count + 1)
            return String(value.prefix { $0 != ";" })
        }
        return nil
    }
}
