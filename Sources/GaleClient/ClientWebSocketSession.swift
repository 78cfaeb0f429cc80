import Gale
import NIOCore
import NIOWebSocket
import Synchronization
import WSCore

/// A client's WebSocket, run by swift-websocket's WSClient: the `WebSocketTransport` a
/// `WebSocketConnection` writes through, and the loop that feeds `websocketConnect`'s reader.
///
/// Every outgoing frame (messages from any task, pings, the close) goes
/// through one queue drained by one writer, so frames leave in the order they were sent and a
/// broadcast never interleaves with a handler's own writes. The writer awaits WSCore, which
/// awaits the channel's writability: `writeMessage` returns when its frame was taken, so a slow
/// reader slows its writer down.
final class ClientWebSocketSession: WebSocketTransport {
    private enum Outbound {
        case message(Gale.WebSocketMessage, CheckedContinuation<Bool, Never>?)
        case ping([UInt8], CheckedContinuation<Bool, Never>?)
        case close(code: Int?, reason: String?)
    }

    private struct State {
        var items: [Outbound] = []
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
    }

    private let state = Mutex(State())

    // MARK: WebSocketTransport

    func write(_ message: Gale.WebSocketMessage) async throws(WebSocketClosedError) {
        let sent = await withCheckedContinuation { push(.message(message, $0)) }
        if !sent { throw WebSocketClosedError() }
    }

    func enqueue(_ message: Gale.WebSocketMessage) {
        push(.message(message, nil))
    }

    func ping(_ data: [UInt8]) async throws(WebSocketClosedError) {
        let sent = await withCheckedContinuation { push(.ping(data, $0)) }
        if !sent { throw WebSocketClosedError() }
    }

    func close(code: Int?, reason: String?) async {
        push(.close(code: code, reason: reason))
    }

    // MARK: Running

    /// Runs the connection: tells `events` it is open, then hands it each message of at most
    /// `maxMessageSize` bytes, until either side closes.
    func run(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, maxMessageSize: Int,
        events: any WebSocketEvents & Sendable
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.drain(into: outbound) }
            defer {
                finish()
                group.cancelAll()
            }
            try await events.webSocketOpened(WebSocketConnection(self))
            for try await message in inbound.messages(maxSize: maxMessageSize) {
                switch message {
                case .text(let text): try await events.webSocketReceived(.text(text))
                case .binary(let buffer): try await events.webSocketReceived(.binary(Array(buffer.readableBytesView)))
                }
            }
        }
    }

    private func drain(into outbound: WebSocketOutboundWriter) async {
        while let item = await pop() {
            switch item {
            case .message(let message, let sent):
                do {
                    switch message {
                    case .text(let text): try await outbound.write(.text(text))
                    case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                    }
                    sent?.resume(returning: true)
                } catch {
                    sent?.resume(returning: false)
                }
            case .ping(let data, let sent):
                do {
                    try await outbound.write(
                        .custom(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(bytes: data))))
                    sent?.resume(returning: true)
                } catch {
                    sent?.resume(returning: false)
                }
            case .close(let code, let reason):
                // WSCore waits for the server's answer, and drops the connection after its
                // close timeout.
                try? await outbound.close(Self.closeCode(code), reason: reason.map(WebSocketCloseRules.fitting))
            }
        }
    }

    /// A code RFC 6455 §7.4 lets an endpoint send; others become 1000.
    static func closeCode(_ code: Int?) -> WebSocketErrorCode {
        guard let code, WebSocketCloseRules.isSendable(code) else { return .normalClosure }
        return WebSocketErrorCode(codeNumber: code)
    }

    // MARK: The queue

    private func push(_ item: Outbound) {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.finished else { return (false, nil) }
            state.items.append(item)
            defer { state.waiter = nil }
            return (true, state.waiter)
        }
        if !accepted { Self.refuse(item) }
        waiter?.resume()
    }

    private func pop() async -> Outbound? {
        while true {
            let next = state.withLock { state -> Outbound?? in
                if !state.items.isEmpty { return .some(state.items.removeFirst()) }
                return state.finished ? .some(nil) : nil
            }
            if let next { return next }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if !state.items.isEmpty || state.finished { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// No more frames: what is still queued is refused.
    private func finish() {
        let (items, waiter) = state.withLock { state in
            state.finished = true
            defer {
                state.items = []
                state.waiter = nil
            }
            return (state.items, state.waiter)
        }
        for item in items { Self.refuse(item) }
        waiter?.resume()
    }

    private static func refuse(_ item: Outbound) {
        switch item {
        case .message(_, let sent), .ping(_, let sent): sent?.resume(returning: false)
        case .close: break
        }
    }
}
