import Gale
import GaleServer
import HTTPTypes
import Logging
import NIOCore
import NIOPosix
import NIOWebSocket
import Synchronization
import WSClient
import WSCompression
import WSCore

/// Opens a WebSocket to `url` (`ws://` or `wss://`) and returns once the server has accepted
/// it. Tornado: `tornado.websocket.websocket_connect(url)`.
///
/// ```swift
/// let socket = try await websocketConnect("ws://127.0.0.1:8888/chatsocket")
/// try await socket.writeMessage(#"{"body": "hi"}"#)
/// let reply = await socket.readMessage()
/// await socket.close()
/// ```
///
/// Built on swift-websocket's client (WSClient); `compression` offers permessage-deflate.
/// Throws `WebSocketConnectError` when the server refuses the handshake or cannot be reached.
public func websocketConnect(
    _ url: String,
    headers: Gale.HTTPHeaders = [:],
    subprotocols: [String] = [],
    compression: WebSocketCompressionOptions? = nil,
    maxMessageSize: Int = 10 * 1024 * 1024,
    connectTimeout: Duration = .seconds(20),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "gale.websocket.client")
) async throws -> WebSocketClientConnection {
    var fields = HTTPFields()
    for (name, value) in headers {
        guard let fieldName = HTTPField.Name(name) else { throw ProgrammerError("invalid header name \(name)") }
        fields.append(HTTPField(name: fieldName, value: value))
    }
    if !subprotocols.isEmpty {
        fields.append(HTTPField(name: .secWebSocketProtocol, value: subprotocols.joined(separator: ", ")))
    }
    let extensions = compression.map { options in
        [
            WebSocketExtensionFactory.perMessageDeflate(
                compressionLevel: options.compressionLevel, memoryLevel: options.memoryLevel,
                maxDecompressedFrameSize: maxMessageSize, minFrameSizeToCompress: options.minimumSize)
        ]
    }
    let configuration = WebSocketClientConfiguration(
        maxFrameSize: maxMessageSize, additionalHeaders: fields, extensions: extensions ?? [], validateUTF8: true)
    let events = ClientEvents()
    let run = Task {
        defer { events.closed() }
        return try await WebSocketClient.connect(
            url: url, configuration: configuration, eventLoopGroup: group, logger: logger
        ) { inbound, outbound, _ in
            try await ClientWebSocketSession().run(
                inbound: inbound, outbound: outbound, maxMessageSize: maxMessageSize, events: events)
        }
    }
    let timeout = Task {
        try await Task.sleep(for: connectTimeout)
        events.fail(WebSocketConnectError("\(url): no answer within \(connectTimeout)"))
        run.cancel()
    }
    defer { timeout.cancel() }
    let connection: WebSocketConnection
    do {
        connection = try await events.connected()
    } catch {
        run.cancel()
        let outcome = await run.result
        if case .failure(let failure) = outcome { throw WebSocketConnectError("\(url): \(failure)") }
        throw error
    }
    return WebSocketClientConnection(connection: connection, messages: events.messages, run: run)
}

/// A client's open WebSocket. Tornado: `WebSocketClientConnection`.
public final class WebSocketClientConnection: Sendable {
    private let connection: WebSocketConnection
    private let messages: AsyncStream<Gale.WebSocketMessage>
    private let run: Task<WebSocketCloseFrame?, any Error>

    init(
        connection: WebSocketConnection, messages: AsyncStream<Gale.WebSocketMessage>,
        run: Task<WebSocketCloseFrame?, any Error>
    ) {
        self.connection = connection
        self.messages = messages
        self.run = run
    }

    /// The next message from the server, or `nil` once the connection has closed. Tornado:
    /// `read_message()`. Read from one task at a time.
    public func readMessage() async -> Gale.WebSocketMessage? {
        var iterator = messages.makeAsyncIterator()
        return await iterator.next()
    }

    /// Sends a text message. Tornado: `write_message(message)`.
    public func writeMessage(_ text: String) async throws(WebSocketClosedError) {
        try await connection.writeMessage(text)
    }

    /// Sends bytes, as a binary message unless `binary` is false.
    public func writeMessage(_ bytes: [UInt8], binary: Bool = true) async throws(WebSocketClosedError) {
        try await connection.writeMessage(bytes, binary: binary)
    }

    /// Sends a ping (at most 125 bytes).
    public func ping(_ data: [UInt8] = []) async throws {
        try await connection.ping(data)
    }

    /// Closes the connection and waits until it has closed. Tornado: `close(code, reason)`.
    public func close(code: Int? = nil, reason: String? = nil) async {
        await connection.close(code: code, reason: reason)
        _ = await closed()
    }

    /// Waits until the connection has closed; returns the close code and reason the server
    /// sent. Tornado: `close_code` and `close_reason`.
    public func closed() async -> (code: Int?, reason: String?) {
        guard case .success(let frame) = await run.result, let frame else { return (nil, nil) }
        return (Int(UInt16(webSocketErrorCode: frame.closeCode)), frame.reason)
    }
}

/// The server refused the handshake, or could not be reached.
public struct WebSocketConnectError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Hands the client's messages to `readMessage` and its opening to `websocketConnect`.
private final class ClientEvents: WebSocketEvents, Sendable {
    let messages: AsyncStream<Gale.WebSocketMessage>
    private let continuation: AsyncStream<Gale.WebSocketMessage>.Continuation
    private let opening = Mutex<
        (CheckedContinuation<WebSocketConnection, any Error>?, Result<WebSocketConnection, any Error>?)
    >(
        (nil, nil))

    init() {
        (messages, continuation) = AsyncStream.makeStream()
    }

    func connected() async throws -> WebSocketConnection {
        try await withCheckedThrowingContinuation { waiter in
            let result = opening.withLock { state -> Result<WebSocketConnection, any Error>? in
                if state.1 == nil { state.0 = waiter }
                return state.1
            }
            if let result { waiter.resume(with: result) }
        }
    }

    private func settle(_ result: Result<WebSocketConnection, any Error>) {
        let waiter = opening.withLock { state -> CheckedContinuation<WebSocketConnection, any Error>? in
            guard state.1 == nil else { return nil }
            state.1 = result
            defer { state.0 = nil }
            return state.0
        }
        waiter?.resume(with: result)
    }

    func fail(_ error: any Error) { settle(.failure(error)) }

    func closed() {
        settle(.failure(WebSocketConnectError("the connection closed before the handshake completed")))
        continuation.finish()
    }

    func webSocketOpened(_ connection: WebSocketConnection) async throws { settle(.success(connection)) }
    func webSocketReceived(_ message: Gale.WebSocketMessage) async throws { continuation.yield(message) }
    func webSocketReceivedPong(_ data: [UInt8]) {}
    func webSocketClosed(code: Int?, reason: String?) {}
}
