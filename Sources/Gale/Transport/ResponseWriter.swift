/// Where a handler's answer goes: the transport's side of the response.
///
/// The core calls `write` with the head on the first call and `isLast` on the final one; a
/// response that is built in one go arrives as a single chunk (head, whole body, last), so a
/// transport can send it in one system call. Calls for one response come in order and never
/// overlap, but an async handler may make them from any thread.
public protocol ResponseWriter: Sendable {
    /// Sends the next part of the response.
    func write(_ chunk: ResponseChunk)

    /// Sends the next part and returns once the transport can take more: the backpressure
    /// behind an async handler's `await flush()`. Throws `StreamClosedError` when the client
    /// has gone. The default writes and returns at once, for transports that write
    /// synchronously (CGI, FastCGI, memory).
    func send(_ chunk: ResponseChunk) async throws(StreamClosedError)
}

extension ResponseWriter {
    public func send(_ chunk: ResponseChunk) async throws(StreamClosedError) {
        write(chunk)
    }
}

/// The status line and headers of a response.
public struct ResponseHead: Sendable, Equatable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The reason phrase, e.g. "OK".
    public var reason: String
    /// The response headers, including `Content-Length` when the core knows it.
    public var headers: HTTPHeaders

    /// Creates a response head.
    public init(status: Int, reason: String, headers: HTTPHeaders) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }
}

/// One step of a response: the head (first chunk only), body bytes, and whether it is the end.
public struct ResponseChunk: Sendable {
    /// The head, present on the first chunk of a response and only there.
    public var head: ResponseHead?
    /// Body bytes; empty for a HEAD request and for statuses without a body.
    public var body: [UInt8]
    /// A file slice to send after `body`.
    public var file: FileBody?
    /// Whether the response is complete after this chunk.
    public var isLast: Bool
    /// The response went wrong after its head was sent (for example it wrote less than its
    /// `Content-Length`): the transport must close the connection instead of reusing it.
    public var mustClose: Bool

    /// Creates a chunk.
    public init(
        head: ResponseHead? = nil, body: [UInt8] = [], file: FileBody? = nil, isLast: Bool = false,
        mustClose: Bool = false
    ) {
        self.head = head
        self.body = body
        self.file = file
        self.isLast = isLast
        self.mustClose = mustClose
    }
}

/// A writer that drops everything; a handler has it until a transport attaches its own.
struct DiscardingWriter: ResponseWriter {
    func write(_ chunk: ResponseChunk) {}
}
