import Gale
import NIOCore
import NIOWebSocket

/// Looks at each frame on its way to the WebSocket session: refuses unmasked client frames
/// (RFC 6455 §5.1: close 1002), reports pongs to the handler's `onPong` (WSCore keeps them to
/// itself), and turns the server's graceful shutdown into a close with 1001 ("going away").
final class WebSocketFrameInspector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let onPong: ([UInt8]) -> Void
    private let onShutdown: () -> Void
    private var refused = false

    init(onPong: @escaping ([UInt8]) -> Void, onShutdown: @escaping () -> Void) {
        self.onPong = onPong
        self.onShutdown = onShutdown
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let frame = unwrapInboundIn(data)
        guard frame.maskKey != nil else {
            refused = true
            var reason = context.channel.allocator.buffer(capacity: 2)
            reason.write(webSocketErrorCode: .protocolError)
            let close = WebSocketFrame(fin: true, opcode: .connectionClose, data: reason)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        if frame.opcode == .pong {
            onPong(Array(frame.unmaskedData.readableBytesView))
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdownEvent {
            onShutdown()
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
