import Gale
import NIOCore

/// The NIO server's `ResponseWriter`: passes each chunk to the connection's handler on its
/// event loop, directly when already there (plain handlers), else by a hop (async handlers).
struct ChannelResponseWriter: ResponseWriter {
    let handler: NIOLoopBound<HTTPChannelHandler>

    func write(_ chunk: ResponseChunk) {
        if handler.eventLoop.inEventLoop {
            handler.value.write(chunk)
        } else {
            let handler = self.handler
            handler.eventLoop.execute { handler.value.write(chunk) }
        }
    }
}
