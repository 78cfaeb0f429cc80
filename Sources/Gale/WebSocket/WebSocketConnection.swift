/// An open WebSocket, as a value any task may keep and write to: what a chat room holds for
/// each member to broadcast to. Comes from `WebSocketHandler.connection`.
///
/// Tornado keeps the handler itself in such sets (`waiters.add(self)`); in Swift a handler
/// belongs to its connection's thread, while this handle is `Sendable`. Writes wait while the
/// client is slow to read (backpressure), so a broadcast loop should not await one slow member
/// before the next: give each its own task, or use `send(_:)`, which does not wait.
public struct WebSocketConnection: Sendable, Hashable {
    let transport: any WebSocketTransport
    /// Tells connections apart (for sets and dictionaries).
    public let id: ObjectIdentifier

    package init(_ transport: any WebSocketTransport) {
        self.transport = transport
        self.id = ObjectIdentifier(transport)
    }

    /// Sends a text message and waits until the connection can take more. Tornado:
    /// `write_message(message)`. Throws `WebSocketClosedError` once the connection has closed.
    public func writeMessage(_ text: String) async throws(WebSocketClosedError) {
        try await transport.write(.text(text))
    }

    /// Sends bytes, as a binary message unless `binary` is false (then they must be UTF-8).
    /// Tornado: `write_message(message, binary=True)`.
    public func writeMessage(_ bytes: [UInt8], binary: Bool = true) async throws(WebSocketClosedError) {
        try await transport.write(binary ? .binary(bytes) : .text(String(decoding: bytes, as: UTF8.self)))
    }

    /// Queues a message without waiting; dropped silently if the connection has closed. For
    /// broadcasts, where one slow client must not hold up the others.
    public func send(_ message: WebSocketMessage) {
        transport.enqueue(message)
    }

    /// Sends a ping (at most 125 bytes of data); the handler's `onPong` hears the answer.
    /// Tornado: `ping(data)`.
    public func ping(_ data: [UInt8] = []) async throws {
        guard data.count <= 125 else { throw ProgrammerError("a ping carries at most 125 bytes") }
        try await transport.ping(data)
    }

    /// Starts the closing handshake; the connection is dropped if the peer does not answer within
    /// 10 seconds. A code RFC 6455 does not let an endpoint send (1004-1006, 1015, or outside
    /// 1000-4999) becomes 1000; the reason is cut to the frame's 123 bytes. Tornado:
    /// `close(code=None, reason=None)`.
    public func close(code: Int? = nil, reason: String? = nil) async {
        await transport.close(code: code, reason: reason)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// The transport's side of an open WebSocket; safe to use from any task.
package protocol WebSocketTransport: AnyObject, Sendable {
    /// Sends a message, returning once the connection can take more.
    func write(_ message: WebSocketMessage) async throws(WebSocketClosedError)
    /// Sends a message without waiting.
    func enqueue(_ message: WebSocketMessage)
    /// Sends a ping with `data` (at most 125 bytes).
    func ping(_ data: [UInt8]) async throws(WebSocketClosedError)
    /// Sends a close frame; the connection ends when the peer answers or a timeout passes.
    func close(code: Int?, reason: String?) async
}

/// What a handler that accepted a WebSocket hands its transport.
package struct WebSocketAcceptance: Sendable {
    /// The 101 response's headers so far (`Upgrade`, `Connection`, `Sec-WebSocket-Accept`, and
    /// `Sec-WebSocket-Protocol` when one was chosen); the transport adds the extensions it
    /// negotiates.
    package var responseHeaders: HTTPHeaders
    /// The client's `Sec-WebSocket-Extensions` offers, one per element.
    package var extensionOffers: [String]
    package var compression: WebSocketCompressionOptions?
    package var maxMessageSize: Int
    package var pingInterval: Duration?
    package var pingTimeout: Duration?

    package init(
        responseHeaders: HTTPHeaders, extensionOffers: [String], compression: WebSocketCompressionOptions? = nil,
        maxMessageSize: Int, pingInterval: Duration? = nil, pingTimeout: Duration? = nil
    ) {
        self.responseHeaders = responseHeaders
        self.extensionOffers = extensionOffers
        self.compression = compression
        self.maxMessageSize = maxMessageSize
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
    }
}

/// What a WebSocket's transport tells its handler, on the handler's own thread.
package protocol WebSocketEvents: AnyObject {
    /// The connection is open: the handler may write. Runs `open()`.
    func webSocketOpened(_ connection: WebSocketConnection) async throws
    /// A whole message arrived.
    func webSocketReceived(_ message: WebSocketMessage) async throws
    /// A pong arrived.
    func webSocketReceivedPong(_ data: [UInt8])
    /// The connection has closed; `code` and `reason` are what the peer's close frame said, if
    /// it sent one. The last event, after any `webSocketReceived` has returned.
    func webSocketClosed(code: Int?, reason: String?)
}

/// A `ResponseWriter` whose transport can turn the request into a WebSocket.
package protocol WebSocketUpgrader: ResponseWriter {
    /// Sends the 101 response, takes the connection over and runs `webSocketOpened` on the
    /// calling task; returns once it has. Later events come on the handler's own thread, from
    /// tasks the transport starts when there is something to deliver, ending with
    /// `webSocketClosed`.
    func acceptWebSocket(_ acceptance: WebSocketAcceptance, events: any WebSocketEvents) async throws
}
