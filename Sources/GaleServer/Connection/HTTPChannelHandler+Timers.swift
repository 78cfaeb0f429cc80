import Gale
import Logging
import NIOCore
import NIOHTTP1

/// Parse errors, the connection's timer and graceful shutdown.
extension HTTPChannelHandler {
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        let status = parseError == .headerOverflow ? 431 : 400
        switch machine.parseError(status: status) {
        case .refuse(let status):
            refuse(status, reason: "malformed request: \(parseError)", context: context)
        case .close:
            application.accessLogger.warning("\(status) malformed request: \(parseError) (\(remoteIP))")
            context.close(promise: nil)
        case .ignore:
            break  // bytes after the last request: the close is already on its way
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is GracefulShutdownEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch machine.shutdownRequested(now: .now()) {
        case .closeAfterResponse: break
        case .awaitNextRequest(let delay):
            stopTimer()
            scheduleTimer(after: delay, context: context)
        }
    }

    /// The end of one read from the socket. A read that delivered no part of a request while
    /// the connection waits for one brought a head's first bytes (NIO's decoder holds them until
    /// the head is whole): the header timeout starts.
    func channelReadComplete(context: ChannelHandlerContext) {
        if !deliveredInRead { machine.receivedPartialHead(now: .now()) }
        deliveredInRead = false
        context.fireChannelReadComplete()
    }

    func stopTimer() {
        timer?.cancel()
        timer = nil
    }

    /// One timer per connection, re-armed lazily: it fires, lets the state machine compare how
    /// long the connection has really been idle (or in its body), and sleeps for the rest.
    func scheduleTimer(after delay: TimeAmount, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            loopBound.value.timerFired()
        }
    }

    private func timerFired() {
        guard let context else { return }
        switch machine.timerFired(now: .now()) {
        case .rearm(let delay):
            scheduleTimer(after: delay, context: context)
        case .close:
            context.close(promise: nil)
        case .abandon(let reason):
            application.accessLogger.warning("408 \(reason) (\(remoteIP))")
            context.close(promise: nil)
        case .refuse(let status, let reason):
            refuse(status, reason: reason, context: context)
        case .stop:
            break
        }
    }
}
