import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Serves a WebSocket: subclass it and override `open`, `onMessage` and `onClose`. Tornado:
/// `tornado.websocket.WebSocketHandler`.
///
/// ```swift
/// final class EchoSocket: WebSocketHandler {
///     override func onMessage(_ message: WebSocketMessage) async throws {
///         try await writeMessage("You said: \(message.text ?? "")")
///     }
/// }
/// ```
///
/// The handshake runs as a GET: `prepare()` first (authenticate there), then the checks
/// Tornado makes, each answered as Tornado does: no `Upgrade: websocket` or no
/// `Connection: upgrade` gets 400; a cross-origin request gets 403 unless `checkOrigin`
/// allows it; a `Sec-WebSocket-Version` other than 13 (or the old 7 and 8) gets 426. Then the
/// connection switches protocols, `open()` runs, and each message goes to `onMessage`, one at
/// a time. The settings `websocketPingInterval`, `websocketPingTimeout` and
/// `websocketMaxMessageSize` apply.
///
/// Protocol errors close only this connection, with the code RFC 6455 gives: an unmasked
/// client frame 1002, invalid UTF-8 in a text message 1007, a message over
/// `websocketMaxMessageSize` 1009, an error thrown by `open` or `onMessage` 1011 (and a log
/// line). Only Gale's own server offers WebSockets; FastCGI and CGI refuse these routes at
/// start-up.
///
/// Subclassing notes — the methods meant to be overridden: `open()`, `onMessage(_:)`,
/// `onClose()`, `onPong(_:)`, `checkOrigin(_:)`, `selectSubprotocol(_:)`,
/// `getCompressionOptions()`, and `prepare()`.
open class WebSocketHandler: AsyncRequestHandler, WebSocketEvents {
    /// The open connection, to keep where other tasks can write to it (a chat room's
    /// members); `nil` before `open()` runs.
    public private(set) var connection: WebSocketConnection?
    /// The close code the client sent, once closed. Tornado: `close_code`.
    public private(set) var closeCode: Int?
    /// The close reason the client sent, once closed. Tornado: `close_reason`.
    public private(set) var closeReason: String?
    /// The subprotocol `selectSubprotocol` chose. Tornado: `selected_subprotocol`.
    public internal(set) var selectedSubprotocol: String?

    override open class var requirements: HandlerRequirements { [.webSockets] }

    // MARK: Overridable

    /// The connection is open; the handler may write. Tornado: `open(*args)` (the route's
    /// captures are in `pathArgs`). Throwing closes the connection with 1011.
    open func open() async throws {}

    /// A message arrived. Tornado: `on_message(message)`. The next message waits until this
    /// returns; throwing closes the connection with 1011 and logs the error.
    open func onMessage(_ message: WebSocketMessage) async throws {}

    /// The connection has closed, by either side; `closeCode` and `closeReason` say how.
    /// Tornado: `on_close()`.
    open func onClose() {}

    /// A pong arrived, answering `ping` or the keep-alive pings. Tornado: `on_pong(data)`.
    open func onPong(_ data: [UInt8]) {}

    /// Whether to accept a handshake whose `Origin` is another site's. Tornado: `check_origin`.
    /// Same-origin requests (and clients that send no `Origin`, which are not browsers) never
    /// reach it. The default allows the `trustedOrigins` setting's origins
    /// (`checkTrustedOrigin`) and refuses the rest with 403, since browsers let any page open a
    /// WebSocket to any site with the user's cookies. As in Tornado 6.6, it runs after
    /// `prepare()`, so an override may rely on what `prepare()` did.
    open func checkOrigin(_ origin: String) -> Bool { checkTrustedOrigin(origin) }

    /// Picks one of the subprotocols the client offered (`Sec-WebSocket-Protocol`), or `nil`
    /// for none. Tornado: `select_subprotocol`.
    open func selectSubprotocol(_ subprotocols: [String]) -> String? { nil }

    /// Non-nil turns on permessage-deflate compression when the client offers it. Tornado:
    /// `get_compression_options`; `nil` (the default) is off, as in Tornado.
    open func getCompressionOptions() -> WebSocketCompressionOptions? { nil }

    // MARK: Writing

    /// Sends a text message, waiting while the client is slow to read. Tornado:
    /// `write_message(message)`. Throws `WebSocketClosedError` once closed.
    public func writeMessage(_ text: String) async throws {
        guard let connection else { throw WebSocketClosedError() }
        try await connection.writeMessage(text)
    }

    /// Sends bytes, as a binary message unless `binary` is false. Tornado:
    /// `write_message(message, binary=True)`.
    public func writeMessage(_ bytes: [UInt8], binary: Bool = true) async throws {
        guard let connection else { throw WebSocketClosedError() }
        try await connection.writeMessage(bytes, binary: binary)
    }

    /// Sends `value` as a JSON text message. Tornado: `write_message(dict)`, whose text is
    /// `json_encode(dict)`; Gale's is the same bytes, written as `RequestHandler.write(_:)`
    /// writes JSON (struct fields in order, string-keyed dictionaries sorted, `</` as `<\/`).
    /// Throws `JSONEncodingError` for a non-finite float, and what `encode(to:)` throws; either
    /// way nothing is sent.
    public func writeMessage<Value: Encodable>(_ value: Value) async throws {
        var json: [UInt8] = []
        try Escape.appendStrictJSON(try TemplateValue(encoding: value), to: &json)
        try await writeMessage(String(decoding: json, as: UTF8.self))
    }

    /// Sends a ping; `onPong` hears the answer. Tornado: `ping(data)`.
    public func ping(_ data: [UInt8] = []) async throws {
        guard let connection else { throw WebSocketClosedError() }
        try await connection.ping(data)
    }

    /// Closes the connection: sends a close frame, and `onClose` runs once the client answers.
    /// Tornado: `close(code=None, reason=None)`.
    public func close(code: Int? = nil, reason: String? = nil) async {
        await connection?.close(code: code, reason: reason)
    }

    // MARK: Running

    /// The handshake, the upgrade and `open()`; then the connection runs on its own, calling
    /// `onMessage` as messages come and `onClose` at the end. Tornado: `WebSocketHandler.get`.
    override public final func get() async throws {
        guard let acceptance = try handshake() else { return }
        guard let upgrader = writer as? any WebSocketUpgrader else {
            throw UnavailableFeature(feature: .webSockets, runtime: "this transport")
        }
        try await upgrader.acceptWebSocket(acceptance, events: self)
    }

    package func webSocketOpened(_ connection: WebSocketConnection) async throws {
        self.connection = connection
        status = 101
        headersWritten = true
        finished = true
        application.logRequest(self)
        try await reportingErrors(in: "open") { try await open() }
    }

    package func webSocketReceived(_ message: WebSocketMessage) async throws {
        try await reportingErrors(in: "onMessage") { try await onMessage(message) }
    }

    package func webSocketReceivedPong(_ data: [UInt8]) {
        onPong(data)
    }

    package func webSocketClosed(code: Int?, reason: String?) {
        (closeCode, closeReason) = (code, reason)
        onClose()
    }

    private func reportingErrors(in method: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as WebSocketClosedError {
            // Usually this socket's own end (a write after the client left); the transport
            // closes with 1011 when it was another's.
            application.logger.debug("\(method) of \(requestSummary) wrote to a closed WebSocket")
            throw error
        } catch is CancellationError where Task.isCancelled {
            throw CancellationError()  // the client left: not an error of the handler's
        } catch {
            application.logger.error("Uncaught error in \(method) of \(requestSummary): \(String(reflecting: error))")
            throw error
        }
    }
}
