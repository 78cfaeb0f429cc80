import NIOCore
import NIOPosix

/// Turns the file regions a response sends into bytes, for a TLS connection: sendfile cannot
/// encrypt, and NIO's TLS handler takes only byte buffers (a file region would stop the
/// process). Sits just above the TLS handler, so HTTP/1.1 responses and HTTP/2 DATA frames
/// both pass through it.
///
/// A file is read on NIO's thread pool, 64 KiB at a time, each piece written and flushed before
/// the next is read (a slow client holds the reading back). Writes and flushes that come while
/// a file is being read wait behind it, in order. A plain-HTTP connection has no such handler:
/// its files still go out with sendfile.
final class FileRegionReader: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Pending {
        case write(IOData, EventLoopPromise<Void>?)
        case flush
    }

    private static let chunkSize = 64 * 1024
    private let fileIO = NonBlockingFileIO(threadPool: .singleton)
    /// Set while a file is being read: everything that comes meanwhile queues here.
    private var queue: [Pending]?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let item = unwrapOutboundIn(data)
        if queue != nil {
            queue?.append(.write(item, promise))
            return
        }
        switch item {
        case .byteBuffer:
            context.write(data, promise: promise)
        case .fileRegion(let region):
            queue = []
            send(region, promise: promise, context: context)
        }
    }

    func flush(context: ChannelHandlerContext) {
        if queue != nil {
            queue?.append(.flush)
        } else {
            context.flush()
        }
    }

    /// Reads `region` and writes it as bytes; then goes on with what queued meanwhile.
    private func send(_ region: FileRegion, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let done = fileIO.readChunked(
            fileRegion: region, chunkSize: Self.chunkSize, allocator: context.channel.allocator,
            eventLoop: context.eventLoop
        ) { chunk in
            let (_, context) = loopBound.value
            return context.writeAndFlush(NIOAny(IOData.byteBuffer(chunk)))
        }
        done.whenComplete { result in
            let (handler, context) = loopBound.value
            switch result {
            case .success:
                promise?.succeed()
            case .failure(let error):
                promise?.fail(error)
                // The response is cut short: closing is the only honest end.
                context.close(promise: nil)
            }
            handler.drain(context: context)
        }
    }

    /// Passes on what queued while a file was read, until the next file (or the end).
    private func drain(context: ChannelHandlerContext) {
        while var pending = queue, !pending.isEmpty {
            let next = pending.removeFirst()
            queue = pending
            switch next {
            case .flush:
                context.flush()
            case .write(.byteBuffer(let buffer), let promise):
                context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
            case .write(.fileRegion(let region), let promise):
                send(region, promise: promise, context: context)
                return
            }
        }
        queue = nil
    }
}
