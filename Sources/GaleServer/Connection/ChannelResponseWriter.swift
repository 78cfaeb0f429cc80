import Gale
import NIOCore

/// The NIO server's `ResponseWriter` for one request: passes each chunk to the connection's
/// handler on its event loop, directly when already there (every handler Gale runs), else by a
/// hop (a task the handler started elsewhere).
///
/// `exchange` numbers the request on its connection: once its response has ended, later writes
/// from the same handler (a task still running) are dropped instead of landing in the next
/// request's response.
struct ChannelResponseWriter: ResponseWriter {
    let handler: NIOLoopBound<HTTPChannelHandler>
    let exchange: Int
    /// With `Settings.compressResponse`: what each chunk goes through first.
    let gzip: GzipTransform?

    func write(_ chunk: ResponseChunk) {
        let chunk = gzip?.transform(chunk) ?? chunk
        if handler.eventLoop.inEventLoop {
            handler.value.write(chunk, exchange: exchange)
        } else {
            let handler = self.handler
            let exchange = self.exchange
            handler.eventLoop.execute { handler.value.write(chunk, exchange: exchange) }
        }
    }

    func send(_ chunk: ResponseChunk) async throws(StreamClosedError) {
        let chunk = gzip?.transform(chunk) ?? chunk
        let writable: Bool
        if handler.eventLoop.inEventLoop {
            writable = await handler.value.writeAndWaitUntilWritable(chunk, exchange: exchange)
        } else {
            let handler = self.handler
            let exchange = self.exchange
            writable = await withCheckedContinuation { continuation in
                handler.eventLoop.execute {
                    handler.value.write(chunk, exchange: exchange)
                    handler.value.whenWritable { continuation.resume(returning: $0) }
                }
            }
        }
        if !writable { throw StreamClosedError() }
    }
}
