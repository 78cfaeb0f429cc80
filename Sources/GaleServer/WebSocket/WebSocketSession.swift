import Gale
import NIOCore

/// An accepted WebSocket as any task may hold it: the `WebSocketTransport` behind a handler's
/// `WebSocketConnection`. Every call goes to the connection's `WebSocketChannelHandler` on its
/// event loop, directly from the handler's own code (which runs there), by a hop from
/// elsewhere; frames leave in the order the loop received them.
final class WebSocketSession: WebSocketTransport {
    private let handler: NIOLoopBound<WebSocketChannelHandler>

    init(_ handler: WebSocketChannelHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
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
            switch body(handler.value) {
            case .sent: return
            case .closed: throw WebSocketClosedError()
            case .pending(let pending): future = pending
            }
        } else {
            future = handler.eventLoop.flatSubmit {
                switch body(handler.value) {
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
            body(handler.value)
        } else {
            handler.eventLoop.execute { body(handler.value) }
        }
    }
}
