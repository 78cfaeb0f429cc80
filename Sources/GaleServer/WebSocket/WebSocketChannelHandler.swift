import CompressNIO
import Gale
import Logging
import NIOCore
import NIOWebSocket

/// Serves one accepted WebSocket on its event loop: assembles the client's frames into
/// messages for the handler, answers pings, runs the closing handshake and the keep-alive
/// pings, and writes what the handler sends.
///
/// An idle socket costs no task: a task starts when a message arrives and ends when the
/// handler has taken every message waiting (Tornado likewise runs `on_message` only when a
/// message comes). Messages reach the handler one at a time, in order, on this loop (the task
/// prefers `EventLoopTaskExecutor`); while the handler is busy and another message waits,
/// reading from the socket stops, so a slow handler slows its client down. When the socket
/// closes, a running `onMessage` is cancelled and `onClose` runs once it has returned.
final class WebSocketChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    struct Options {
        var maxMessageSize: Int
        var pingInterval: TimeAmount?
        var pingTimeout: TimeAmount?
        /// The most bytes `send(_:)` (which does not wait) may queue past the channel's write
        /// buffer before the client is dropped as too slow a reader; `nil` for no limit.
        var maxQueuedBytes: Int?
        /// How long a close started here waits for the client's answer (Tornado waits 5 s).
        var closeTimeout = TimeAmount.seconds(10)
    }

    let events: any WebSocketEvents
    let options: Options
    let executor: EventLoopTaskExecutor
    /// permessage-deflate, when negotiated.
    let deflate: WebSocketDeflate?
    let logger: Logger
    var context: ChannelHandlerContext?
    private var assembler: WebSocketFrameAssembler

    /// Messages waiting for the handler.
    private var inbound = CircularBuffer<Gale.WebSocketMessage>()
    /// Whether the handler is running `open` or `onMessage`; true until `open` has returned.
    private var busy = true
    private var pumpTask: Task<Void, Never>?
    /// The request's task while it runs `open()`; not kept after, since a handle keeps a
    /// finished task's memory alive.
    var openingTask: Task<Void, Never>?
    private var readHeld = false

    /// The closing handshake: what was sent and received, and the client's code and reason.
    var closeSent = false
    private var closeReceived = false
    private var peerClose: (code: Int?, reason: String?) = (nil, nil)
    private var closeTimer: Scheduled<Void>?
    var channelClosed = false
    private var closeReported = false

    private var keepAlive: RepeatedTask?
    private var pongs = 0

    /// Bytes of frames sent without waiting while the channel was not writable, not written yet.
    var queuedBytes = 0

    /// Writers waiting for the channel to be writable again.
    var writabilityWaiters: [EventLoopPromise<Void>] = []

    init(
        events: any WebSocketEvents, options: Options, deflate: WebSocketDeflate?,
        executor: EventLoopTaskExecutor, logger: Logger
    ) {
        self.events = events
        self.options = options
        self.deflate = deflate
        self.executor = executor
        self.logger = logger
        self.assembler = WebSocketFrameAssembler(
            maxMessageSize: options.maxMessageSize, compressionNegotiated: deflate != nil)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// The channel is gone: the context, which holds this handler, is let go, so the two do
    /// not keep each other (and the `WebSocketHandler`) alive.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Opening

    /// Runs `open()` on the calling task (the request's), then flushes the 101 written before
    /// it, so no client sees the upgrade before its handler joined whatever it joins.
    func open(_ connection: WebSocketConnection) async {
        do {
            try await events.webSocketOpened(connection)
        } catch {
            handlerFailed(error)
        }
        openingTask = nil
        if let context {
            context.flush()
            startKeepAlive(context: context)
        }
        handlerIdle()
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closeReceived, !channelClosed else { return }  // nothing counts after the close
        switch assembler.receive(unwrapInboundIn(data)) {
        case .partial:
            break
        case .message(let message):
            guard let decoded = decode(message) else { return }
            inbound.append(decoded)
            if !busy { startPump() }
        case .ping(let data):
            if !closeSent { context.writeAndFlush(wrapOutboundOut(Self.frame(.pong, data)), promise: nil) }
        case .pong(let data):
            pongs += 1
            events.webSocketReceivedPong(Array(data.readableBytesView))
        case .close(let data):
            receivedClose(data, context: context)
        case .fail(let code):
            fail(code)
        }
    }

    func read(context: ChannelHandlerContext) {
        if busy && !inbound.isEmpty {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func resumeReading() {
        guard readHeld, inbound.isEmpty, let context else { return }
        readHeld = false
        context.read()
    }

    /// Hands waiting messages to the handler, one at a time, in a task that ends when none
    /// is left.
    private func startPump() {
        guard let context else { return }
        busy = true
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        pumpTask = Task(executorPreference: executor) { await handler.value.pump() }
    }

    private func pump() async {
        while let message = inbound.popFirst() {
            resumeReading()
            do {
                try await events.webSocketReceived(message)
            } catch {
                handlerFailed(error)
                break
            }
        }
        pumpTask = nil
        handlerIdle()
    }

    /// The message as the handler sees it; `nil` when it breaks the protocol (the socket is
    /// then closing).
    private func decode(_ message: WebSocketFrameAssembler.Message) -> Gale.WebSocketMessage? {
        var payload = message.payload
        if message.compressed, let deflate {
            do {
                payload = try deflate.decompress(payload)
            } catch {
                // Inflated past the limit: 1009; not deflate data: 1007.
                fail((error as? CompressNIOError) == .bufferOverflow ? .messageTooLarge : .dataInconsistentWithMessage)
                return nil
            }
        }
        if message.binary { return .binary(Array(payload.readableBytesView)) }
        guard let text = String(validating: payload.readableBytesView, as: UTF8.self) else {
            fail(.dataInconsistentWithMessage)
            return nil
        }
        return .text(text)
    }

    /// `open` or `onMessage` threw: close with 1011, unless this socket is closing already (the
    /// error is then most likely its own end: a write refused, a task cancelled). An error from
    /// elsewhere, such as another socket's `WebSocketClosedError`, closes this one too, as an
    /// exception escaping `on_message` does in Tornado.
    private func handlerFailed(_ error: any Error) {
        inbound.removeAll()
        if channelClosed || closeSent { return }
        startClose(code: 1011, reason: nil)
    }

    private func handlerIdle() {
        busy = false
        if !inbound.isEmpty {
            startPump()
            return
        }
        resumeReading()
        if channelClosed { reportClose() }
    }

    // MARK: Closing

    /// Sends a close frame (after whatever is already queued); the connection ends when the
    /// client answers or `closeTimeout` passes. Later writes fail.
    func startClose(code: Int?, reason: String?) {
        guard !closeSent, !channelClosed, let context else { return }
        closeSent = true
        _ = send(Self.closeFrame(code: code, reason: reason), wait: false)
        if closeReceived { return }
        let channel = context.channel
        closeTimer = context.eventLoop.scheduleTask(in: options.closeTimeout) { channel.close(promise: nil) }
    }

    /// The client's close: answered with its own code (as Tornado does), then the connection
    /// ends, the server closing TCP first (RFC 6455 §7.1.1).
    private func receivedClose(_ data: ByteBuffer, context: ChannelHandlerContext) {
        closeReceived = true
        var data = data
        switch data.readableBytes {
        case 0:
            break
        case 1:
            fail(.protocolError)
            return
        default:
            guard let code = data.readWebSocketErrorCode().map({ Int(UInt16(webSocketErrorCode: $0)) }),
                WebSocketCloseRules.isSendable(code)
            else {
                fail(.protocolError)
                return
            }
            guard let reason = String(validating: data.readableBytesView, as: UTF8.self) else {
                fail(.dataInconsistentWithMessage)
                return
            }
            peerClose = (code, reason.isEmpty ? nil : reason)
        }
        let channel = context.channel
        if closeSent {
            channel.close(promise: nil)
            return
        }
        closeSent = true
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
        _ = send(Self.closeFrame(code: peerClose.code, reason: nil), wait: false, written: promise)
    }

    /// The client broke the protocol: close with `code` and end the connection without
    /// waiting for an answer.
    func fail(_ code: WebSocketErrorCode) {
        closeReceived = true
        inbound.removeAll()
        guard let context, !channelClosed else { return }
        let channel = context.channel
        guard !closeSent else {
            channel.close(promise: nil)
            return
        }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        context.writeAndFlush(wrapOutboundOut(Self.frame(.connectionClose, data))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        channelClosed = true
        inbound.removeAll()  // no message reaches the handler after its socket closed
        closeTimer?.cancel()
        keepAlive?.cancel()
        failWriters()
        if busy {
            // `onClose` follows once the handler has returned.
            openingTask?.cancel()
            pumpTask?.cancel()
        } else {
            reportClose()
        }
        context.fireChannelInactive()
    }

    private func reportClose() {
        guard !closeReported else { return }
        closeReported = true
        events.webSocketClosed(code: peerClose.code, reason: peerClose.reason)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdownEvent {
            startClose(code: 1001, reason: "server shutting down")
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOWebSocketError {
            // NIO's protocol error handler, in front, has sent the close frame (1002 or 1009)
            // and closes the connection once it is written.
            closeSent = true
            closeReceived = true
            return
        }
        logger.debug("WebSocket connection failed: \(error)")
        context.close(promise: nil)
    }

    // MARK: Keep-alive

    /// Pings every `pingInterval`, the first one an interval after the connection opened; a
    /// ping without a pong within `pingTimeout` ends the connection. Tornado 6.5:
    /// `websocket_ping_interval` and `websocket_ping_timeout`.
    private func startKeepAlive(context: ChannelHandlerContext) {
        guard let interval = options.pingInterval, interval > .zero else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepAlive = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            handler.value.sendKeepAlivePing()
        }
    }

    private func sendKeepAlivePing() {
        guard let context, !closeSent else { return }
        _ = send(Self.frame(.ping, ByteBuffer()), wait: false)
        guard let timeout = options.pingTimeout, timeout > .zero, let interval = options.pingInterval else { return }
        let pongsBefore = pongs
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: min(timeout, interval)) {
            let handler = handler.value
            if handler.pongs == pongsBefore { handler.context?.close(promise: nil) }
        }
    }
}
