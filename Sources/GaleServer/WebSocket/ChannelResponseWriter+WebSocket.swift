import Gale
import HTTPTypes
import Logging
import NIOCore
import NIOWebSocket
import WSCompression
@_spi(WSInternal) import WSCore

extension ChannelResponseWriter: Gale.WebSocketUpgrader {
    func acceptWebSocket(_ acceptance: WebSocketAcceptance, events: any WebSocketEvents) async throws
        -> (code: Int?, reason: String?)
    {
        // The handler's task runs on its connection's loop (`EventLoopTaskExecutor`).
        let eventLoop = handler.eventLoop
        eventLoop.preconditionInEventLoop()
        var headers = acceptance.responseHeaders
        var extensions: [any WebSocketExtension] = []
        if let compression = acceptance.compression {
            let deflate = WebSocketExtensionFactory.perMessageDeflate(
                compressionLevel: compression.compressionLevel, memoryLevel: compression.memoryLevel,
                maxDecompressedFrameSize: acceptance.maxMessageSize, minFrameSizeToCompress: compression.minimumSize)
            var offers = HTTPFields()
            for offer in acceptance.extensionOffers {
                offers.append(HTTPField(name: .secWebSocketExtensions, value: offer))
            }
            let (answer, negotiated) = try [deflate.build()].serverExtensionNegotiation(requestHeaders: offers)
            for field in answer { headers.add(field.name.rawName, field.value) }
            extensions = negotiated
        }
        let connection = handler.value
        guard let channel = connection.context?.channel else { throw WebSocketClosedError() }
        let session = WebSocketSession(abort: { channel.close(promise: nil) })
        let boundEvents = LoopBoundEvents(events, eventLoop: eventLoop)
        let inspector = WebSocketFrameInspector(
            onPong: { data in
                session.pongReceived()
                boundEvents.webSocketReceivedPong(data)
            },
            onShutdown: { session.goAway() })
        let asyncChannel = try connection.upgradeToWebSocket(
            exchange: exchange, headers: headers, maxMessageSize: acceptance.maxMessageSize, inspector: inspector)
        let configuration = WSCore.WebSocketHandler.Configuration(
            extensions: extensions, autoPing: .disabled, closeTimeout: .seconds(10), validateUTF8: true)
        let peerClose = try await WSCore.WebSocketHandler.handle(
            type: .server, configuration: configuration, asyncChannel: asyncChannel,
            context: SessionContext(logger: connection.application.logger)
        ) { inbound, outbound, _ in
            try await session.run(
                inbound: inbound, outbound: outbound, acceptance: acceptance, events: boundEvents,
                opened: { channel.flush() })
        }
        return (peerClose.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, peerClose?.reason)
    }
}

/// What WSCore asks of the code running a WebSocket: a logger.
private struct SessionContext: WebSocketContext {
    let logger: Logger
}
