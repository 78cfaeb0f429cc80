import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Watches a TLS connection until its handshake is done, then leaves the pipeline.
///
/// A client that does not finish the handshake within `TLSOptions.handshakeTimeout` is
/// disconnected (before the handshake no HTTP timer runs yet, so a silent client would hold a
/// connection forever). A handshake that fails (a plain-HTTP request sent to the TLS port, a
/// missing or untrusted client certificate) gets one warning line naming the client, and the
/// TLS handler closes the connection; the server serves on.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?
    private var failed = false

    init(timeout: Duration, logger: Logger) {
        self.timeout = TimeAmount(timeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        context.fireUserInboundEventTriggered(event)
        if case .handshakeCompleted = event as? TLSUserEvent {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !failed else { return }
        failed = true
        let client = context.channel.remoteAddress?.ipAddress ?? "?"
        // BoringSSL's own name for the commonest mistake, said plainly (nginx says the same).
        let reason =
            "\(error)".contains("HTTP_REQUEST") ? "a plain HTTP request was sent to the HTTPS port" : "\(error)"
        logger.warning("TLS handshake with \(client) failed: \(reason)")
        context.close(promise: nil)
    }
}
