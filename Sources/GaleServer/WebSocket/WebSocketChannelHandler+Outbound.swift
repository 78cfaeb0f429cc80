import Gale
import Logging
import NIOCore
import NIOWebSocket

extension WebSocketChannelHandler {
    /// What became of a frame handed to `send`.
    enum SendResult: Sendable {
        /// Written (or queued, for a writer that does not wait), and the channel can take more.
        case sent
        /// The connection is closing or closed: nothing was sent.
        case closed
        /// Completes when the frame was written and the channel can take more.
        case pending(EventLoopFuture<Void>)
    }

    /// A message from the handler or any other task; refused once a close was sent.
    func send(_ message: Gale.WebSocketMessage, wait: Bool) -> SendResult {
        guard !closeSent, let context else { return .closed }
        let frame =
            switch message {
            case .text(let text): Self.frame(.text, context.channel.allocator.buffer(string: text))
            case .binary(let bytes): Self.frame(.binary, context.channel.allocator.buffer(bytes: bytes))
            }
        return send(frame, wait: wait)
    }

    /// A ping from the handler (`ping(data)`).
    func sendPing(_ data: [UInt8]) -> SendResult {
        guard !closeSent, let context else { return .closed }
        return send(Self.frame(.ping, context.channel.allocator.buffer(bytes: data)), wait: true)
    }

    /// Writes `frame`, compressing a message's when permessage-deflate is on; `wait` asks for
    /// a future that completes once the channel can take more.
    func send(
        _ frame: WebSocketFrame, wait: Bool, written: EventLoopPromise<Void>? = nil
    ) -> SendResult {
        guard let context, !channelClosed else {
            written?.fail(WebSocketClosedError())
            return .closed
        }
        var frame = frame
        if let deflate, frame.opcode == .text || frame.opcode == .binary {
            do {
                (frame.data, frame.rsv1) = try deflate.compress(frame.data)
            } catch {
                logger.error("WebSocket compression failed: \(error)")
                written?.fail(WebSocketClosedError())
                context.close(promise: nil)
                return .closed
            }
        }
        var written = written
        if !wait, let limit = options.maxQueuedBytes, !context.channel.isWritable {
            guard let promise = queue(frame.data.readableBytes, limit: limit, written: written, context: context)
            else { return .closed }
            written = promise
        }
        context.writeAndFlush(wrapOutboundOut(frame), promise: written)
        // A failed flush may have closed the channel inside that call, waiters already failed.
        if channelClosed { return .closed }
        guard wait, !context.channel.isWritable else { return .sent }
        let promise = context.eventLoop.makePromise(of: Void.self)
        writabilityWaiters.append(promise)
        return .pending(promise.futureResult)
    }

    /// Counts `size` bytes queued behind a client that is not reading, and returns the promise
    /// that uncounts them once written; past `limit`, drops the client (its broadcasts must not
    /// grow the server's memory without bound) and returns `nil`. Tornado has no such limit.
    private func queue(
        _ size: Int, limit: Int, written: EventLoopPromise<Void>?, context: ChannelHandlerContext
    ) -> EventLoopPromise<Void>? {
        queuedBytes += size
        guard queuedBytes <= limit else {
            logger.warning(
                "WebSocket client too slow to read: \(queuedBytes) bytes queued, over the \(limit) byte limit; closing"
            )
            written?.fail(WebSocketClosedError())
            context.close(promise: nil)
            return nil
        }
        let promise = written ?? context.eventLoop.makePromise(of: Void.self)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { _ in loopBound.value.queuedBytes -= size }
        return promise
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiters = writabilityWaiters
            writabilityWaiters = []
            for waiter in waiters { waiter.succeed(()) }
        }
        context.fireChannelWritabilityChanged()
    }

    /// The connection closed: every writer still waiting hears so.
    func failWriters() {
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.fail(WebSocketClosedError()) }
    }

    // MARK: Frames

    static func frame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, data: data)
    }

    /// A close frame with `code` (none when `nil`) and `reason`: a code RFC 6455 §7.4 does not
    /// let an endpoint send becomes 1000, and the reason is cut to the frame's 123 bytes on a
    /// character boundary.
    static func closeFrame(code: Int?, reason: String?) -> WebSocketFrame {
        var data = ByteBuffer()
        if let code {
            data.write(
                webSocketErrorCode: WebSocketErrorCode(codeNumber: WebSocketCloseRules.isSendable(code) ? code : 1000))
            if let reason { data.writeString(WebSocketCloseRules.fitting(reason)) }
        }
        return frame(.connectionClose, data)
    }
}
