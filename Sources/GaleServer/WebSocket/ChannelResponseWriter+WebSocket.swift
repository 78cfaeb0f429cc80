import Gale
import HTTPTypes
import NIOCore
import WSCompression
import WSCore

extension ChannelResponseWriter: Gale.WebSocketUpgrader {
    func acceptWebSocket(_ acceptance: WebSocketAcceptance, events: any WebSocketEvents) async throws {
        // The handler's task runs on its connection's loop (`EventLoopTaskExecutor`).
        let eventLoop = handler.eventLoop
        eventLoop.preconditionInEventLoop()
        var headers = acceptance.responseHeaders
        var deflate: WebSocketDeflate?
        if let compression = acceptance.compression {
            let factory = WebSocketExtensionFactory.perMessageDeflate(
                compressionLevel: compression.compressionLevel, memoryLevel: compression.memoryLevel,
                maxDecompressedFrameSize: acceptance.maxMessageSize, minFrameSizeToCompress: compression.minimumSize)
            var offers = HTTPFields()
            for offer in acceptance.extensionOffers {
                offers.append(HTTPField(name: .secWebSocketExtensions, value: offer))
            }
            // WSCompression picks the parameters from the client's offers (RFC 7692 §7.1).
            let requests = WebSocketExtensionHTTPParameters.parseHeaders(offers)
            if let answer = factory.build().serverResponseHeader(to: requests),
                let parameters = WebSocketDeflate.Parameters(answer: answer)
            {
                headers.add("Sec-WebSocket-Extensions", answer)
                deflate = try WebSocketDeflate(
                    parameters: parameters, options: compression, maxMessageSize: acceptance.maxMessageSize)
            }
        }
        let connection = handler.value
        let options = WebSocketChannelHandler.Options(
            maxMessageSize: acceptance.maxMessageSize,
            pingInterval: acceptance.pingInterval.map { TimeAmount($0) },
            pingTimeout: acceptance.pingTimeout.map { TimeAmount($0) },
            maxQueuedBytes: connection.setup.configuration.maxWebSocketQueuedBytes)
        let socket = WebSocketChannelHandler(
            events: events, options: options, deflate: deflate, executor: connection.taskExecutor(on: eventLoop),
            logger: connection.application.logger)
        try connection.upgradeToWebSocket(exchange: exchange, headers: headers, to: socket)
        await socket.open(WebSocketConnection(WebSocketSession(socket, eventLoop: eventLoop)))
    }
}
