import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// On a listener: when `accept` runs out of descriptors or memory (EMFILE, ENFILE, ENOBUFS,
/// ENOMEM), stops reading for `pause`, logging once, then reads again. Clients wait in the
/// kernel's backlog meanwhile; the open connections are served as usual.
///
/// NIO's `AcceptBackoffHandler` does not do this when the first `accept` of a read fails: NIO
/// then still has a read pending, stays registered for readability, and (epoll being level
/// triggered) calls `accept` again at once, at 100% of a core, without asking the pipeline.
/// Turning `autoRead` off is what makes NIO unregister; turning it on again reads. A connection
/// the client reset before it was accepted (ECONNABORTED) is no reason to pause.
final class AcceptPauseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let pause: TimeAmount
    private let logger: Logger
    private var resume: Scheduled<Void>?

    init(pause: TimeAmount = .seconds(1), logger: Logger) {
        self.pause = pause
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode) else {
            context.fireErrorCaught(error)
            return
        }
        guard resume == nil, let options = context.channel.syncOptions else { return }
        logger.warning("accept failed: \(error); accepting again in \(pause.nanoseconds / 1_000_000) ms")
        try? options.setOption(ChannelOptions.autoRead, value: false)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        resume = context.eventLoop.scheduleTask(in: pause) {
            let (handler, context) = loopBound.value
            handler.resume = nil
            guard context.channel.isActive else { return }
            try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        resume?.cancel()
        resume = nil
        context.fireChannelInactive()
    }
}
