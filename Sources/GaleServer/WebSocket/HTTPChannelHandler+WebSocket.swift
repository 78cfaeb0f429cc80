import Gale
import NIOCore
import NIOHTTP1
import NIOWebSocket

extension HTTPChannelHandler {
    /// Turns this connection into a WebSocket for request `exchange`: sends the 101 response,
    /// swaps the HTTP handlers for NIO's frame codec and `socket`, and removes itself. Runs on
    /// the event loop, from the handler's task.
    ///
    /// Done here rather than with NIO's upgrade handlers, which only upgrade a connection's
    /// first request: as in Tornado, any request on a kept-alive connection may upgrade.
    func upgradeToWebSocket(
        exchange: Int, headers: Gale.HTTPHeaders, to socket: WebSocketChannelHandler
    ) throws {
        guard let context, exchange == currentExchange else { throw WebSocketClosedError() }
        switch machine.upgrading() {
        case .upgrade: break
        case .shuttingDown: throw HTTPError(503, reason: "Server shutting down")
        case .tooLate: throw ProgrammerError("a WebSocket can only be accepted before any response is written")
        }
        let pipeline = context.pipeline.syncOperations
        // No more HTTP parsing: the bytes that follow are frames.
        if let decoder = try? pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self) {
            pipeline.removeHandler(context: decoder, promise: nil)
        }
        if let pipelining = try? pipeline.context(handlerType: HTTPServerPipelineHandler.self) {
            pipeline.removeHandler(context: pipelining, promise: nil)
        }
        var head = NIOHTTP1.HTTPHeaders()
        for (name, value) in headers { head.add(name: name, value: value) }
        head.add(name: "Date", value: dateCache.now())
        // Written, not flushed: `socket` flushes once `open()` has run (or `open()` writes),
        // so no client can see the 101 and send before its handler joined whatever it joins.
        // Tornado gets that for free from its single thread.
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .switchingProtocols, headers: head))),
            promise: nil)
        if let encoder {
            pipeline.removeHandler(encoder, promise: nil)
        }
        try pipeline.addHandler(WebSocketFrameEncoder())
        // NIO's decoder takes at most UInt32.max; a larger setting means "no limit" anyway.
        let maxFrameSize = min(socket.options.maxMessageSize, Int(UInt32.max))
        try pipeline.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maxFrameSize)))
        // Frames too large or malformed: close 1009 or 1002, as RFC 6455 asks.
        try pipeline.addHandler(WebSocketProtocolErrorHandler())
        try pipeline.addHandler(socket)
        stopTimer()
        // This handler leaves the pipeline; `socket` cancels the request's task if the channel
        // closes (the client left, or the shutdown grace period ended) while `open()` runs.
        socket.openingTask = tasks[exchange]?.task
        pipeline.removeHandler(context: context, promise: nil)
    }
}
