import Gale
import NIOCore

/// An accepted WebSocket as any task may hold it: the `WebSocketTransport` behind a handler's
/// `WebSocketConnection`. Every call goes to the connection's `WebSocketChannelHandler` on its
/// event loop, directly from the handler's own code (which runs there), by a hop from
/// elsewhere; frames leave in the order the loop received them.
///
/// It holds the channel handler weakly: the channel's pipeline owns it, and a session kept in
/// a chat room after its socket closed must not keep the handler alive, nor through it the
/// `WebSocketHandler` (whose `connection` is this session) and the zlib state.
final class WebSocketSession: WebSocketTransport {
    private final class WeakHandler {
        weak var value: WebSocketChannelHandler?

        init(_ value: WebSocketChannelHandler) {
            self.value = value
        }
    }

    private let handler: NIOLoopBound<WeakHandler>

    init(_ handler: WebSocketChannelHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBound(WeakHandler(handler), eventLoop: eventLoop)
    }

    func write(_ message: Gale.WebSocketMessage) async throws(WebSocketClosedError) {
        try await perform { $0.send(message, wait: true) }
    }

    func enqueue(_ message: Gale.WebSocketMessage) {
        onLoop { _ = $0.send(message, wait: false) }
    }

    func ping(_ data: [UInt8]) async throws(WebSocketClosedError) {
        try await perform { $0.sendPing(data) }
    }

    func close(code: Int?, reason: String?) async {
        onLoop { $0.startClose(code: code, reason: reason) }
    }

    /// Runs `body` on the loop and waits for what it started.
    private func perform(
        _ body: @escaping @Sendable (WebSocketChannelHandler) -> WebSocketChannelHandler.SendResult
    ) async throws(WebSocketClosedError) {
        let handler = self.handler
        let future: EventLoopFuture<Void>
        if handler.eventLoop.inEventLoop {
            guard let socket = handler.value.value else { throw WebSocketClosedError() }
            switch body(socket) {
            case .sent: return
            case .closed: throw WebSocketClosedError()
            case .pending(let pending): future = pending
            }
        } else {
            future = handler.eventLoop.flatSubmit {
                guard let socket = handler.value.value else {
                    return handler.eventLoop.makeFailedFuture(WebSocketClosedError())
                }
                return switch body(socket) {
                case .sent: handler.eventLoop.makeSucceededVoidFuture()
                case .closed: handler.eventLoop.makeFailedFuture(WebSocketClosedError())
                case .pending(let pending): pending
                }
            }
        }
        do {
            try await future.get()
        } catch {
            throw WebSocketClosedError()
        }
    }

    private func onLoop(_ body: @escaping @Sendable (WebSocketChannelHandler) -> Void) {
        let handler = self.handler
        if handler.eventLoop.inEventLoop {
            if let socket = handler.value.value { body(socket) }
        } else {
            handler.eventLoop.execute {
                if let socket = handler.value.value { body(socket) }
            }
        }
    }
}
