import Logging
import NIOCore
import NIOHTTP2
import NIOSSL

/// Looks after one HTTP/2 connection as a whole; its streams each run an `HTTPChannelHandler`.
///
/// Sits after NIO's HTTP/2 handler. It keeps the connection in the server's registry, counts
/// the open streams, and ends the connection politely (RFC 9113 §6.8):
/// - **Idle:** with no stream open for `idleConnectionTimeout`, a GOAWAY and close.
/// - **Shutdown:** a GOAWAY allowing any stream id and a PING; once the PING comes back (every
///   stream the client opened before seeing the GOAWAY has arrived), or after 5 s, a second
///   GOAWAY with the last stream id taken. Streams up to it are served to the end (each also
///   hears the shutdown, as an HTTP/1.1 connection does); then the connection closes. The
///   client may retry the streams past it elsewhere: they were never processed.
final class HTTP2ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private enum Shutdown {
        case none
        /// The first GOAWAY is out; waiting for the PING carrying `ping` to come back.
        case awaitingPing(HTTP2PingData)
        /// The final GOAWAY is out: close once no stream is open.
        case closing
    }

    private let registry: ConnectionRegistry
    private let idleTimeout: TimeAmount?
    private let logger: Logger
    private var context: ChannelHandlerContext?
    private var openStreams = 0
    private var lastStreamID = HTTP2StreamID(0)
    private var shutdown = Shutdown.none
    private var timer: Scheduled<Void>?

    init(registry: ConnectionRegistry, idleTimeout: TimeAmount?, logger: Logger) {
        self.registry = registry
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Told by NIO's HTTP/2 handler, on this loop, as each stream opens and closes.
    struct StreamDelegate: NIOHTTP2StreamDelegate {
        let handler: NIOLoopBound<HTTP2ConnectionHandler>

        func streamCreated(_ id: HTTP2StreamID, channel: any Channel) {
            handler.value.streamCreated(id)
        }

        func streamClosed(_ id: HTTP2StreamID, channel: any Channel) {
            handler.value.streamClosed()
        }
    }

    /// Added once the channel is active (after the TLS handshake chose `h2`).
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let channel = context.channel
        let accepted = registry.add(channel)
        let registry = self.registry
        channel.closeFuture.whenComplete { _ in registry.remove(channel) }
        armIdleTimer()
        if !accepted { beginShutdown(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    private func streamCreated(_ id: HTTP2StreamID) {
        openStreams += 1
        if id > lastStreamID { lastStreamID = id }
        if case .none = shutdown {
            timer?.cancel()
            timer = nil
        }
    }

    private func streamClosed() {
        openStreams -= 1
        guard openStreams == 0 else { return }
        switch shutdown {
        case .none: armIdleTimer()
        case .awaitingPing: break
        case .closing: closeWhenFlushed()
        }
    }

    /// NIO reports a stream closed while it writes the stream's last frame, before that frame
    /// is flushed: closing at once would lose it. The next turn of the loop flushes, then closes.
    private func closeWhenFlushed() {
        guard let context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            guard let context = loopBound.value.context else { return }
            context.flush()
            context.close(promise: nil)
        }
    }

    private func armIdleTimer() {
        guard let idleTimeout, let context else { return }
        timer?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: idleTimeout) {
            let handler = loopBound.value
            guard handler.openStreams == 0, let context = handler.context else { return }
            handler.sendGoAway(lastStreamID: handler.lastStreamID, context: context)
            context.close(promise: nil)
        }
    }

    // MARK: Shutdown

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdownEvent {
            beginShutdown(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func beginShutdown(context: ChannelHandlerContext) {
        guard case .none = shutdown else { return }
        let ping = HTTP2PingData(withInteger: .random(in: .min ... .max))
        shutdown = .awaitingPing(ping)
        sendGoAway(lastStreamID: .maxID, context: context)
        context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .ping(ping, ack: false))))
            .whenFailure { _ in }
        timer?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: HTTPConnectionStateMachine.nextRequestGrace) {
            loopBound.value.finishShutdown()
        }
    }

    /// The client has seen the first GOAWAY (or took too long to say so): no stream past the
    /// last one taken will be served.
    private func finishShutdown() {
        guard case .awaitingPing = shutdown, let context else { return }
        shutdown = .closing
        timer?.cancel()
        timer = nil
        sendGoAway(lastStreamID: lastStreamID, context: context)
        if openStreams == 0 { context.close(promise: nil) }
    }

    private func sendGoAway(lastStreamID: HTTP2StreamID, context: ChannelHandlerContext) {
        let frame = HTTP2Frame(
            streamID: .rootStream, payload: .goAway(lastStreamID: lastStreamID, errorCode: .noError, opaqueData: nil))
        context.writeAndFlush(wrapOutboundOut(frame)).whenFailure { _ in }
    }

    // MARK: Frames and errors

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .ping(let ping, ack: true) = unwrapInboundIn(data).payload, case .awaitingPing(ping) = shutdown {
            finishShutdown()
        }
        context.fireChannelRead(data)
    }

    /// A protocol error (NIO has sent GOAWAY or RST_STREAM already, as for a header block over
    /// `maxHeaderSize`) gets one line; a client that left (a reset, a TLS close without
    /// close_notify) none. Either way the connection closes, as Hummingbird's and gRPC's do.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !(error is IOError || error is NIOSSLError || error is ChannelError) {
            let client = context.channel.remoteAddress?.ipAddress ?? "?"
            logger.warning("HTTP/2 protocol error from \(client): \(error)")
        }
        context.close(promise: nil)
    }
}
