import Gale
import NIOCore

/// A streamed request body (`AsyncRequestHandler.streamRequestBody`) between the connection,
/// which appends what it reads, and the handler's task, which takes chunks with `next()`.
///
/// Backpressure: past `highWatermark` buffered bytes the connection stops reading from the
/// socket (`isFull`), and `resumeReading` is called whenever the handler has taken the buffer below
/// `lowWatermark` (the connection reads again if it had stopped), so an upload is held in memory only up to the watermark, however large.
/// Confined to the connection's event loop, where both sides run.
final class RequestBodyStream: RequestBodySource {
    private enum End {
        case open
        case finished
        case failed
    }

    private let eventLoop: any EventLoop
    private let highWatermark: Int
    private let lowWatermark: Int
    private let resumeReading: () -> Void
    private var chunks = CircularBuffer<[UInt8]>()
    private var buffered = 0
    private var end = End.open
    private var waiter: CheckedContinuation<Void, Never>?

    init(
        eventLoop: any EventLoop, highWatermark: Int = 256 * 1024, lowWatermark: Int = 64 * 1024,
        resumeReading: @escaping () -> Void
    ) {
        self.eventLoop = eventLoop
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
        self.resumeReading = resumeReading
    }

    /// Whether the connection should stop reading until the handler catches up.
    var isFull: Bool { buffered >= highWatermark }

    func append(_ chunk: ByteBuffer) {
        guard case .open = end, chunk.readableBytes > 0 else { return }
        chunks.append(Array(chunk.readableBytesView))
        buffered += chunk.readableBytes
        wake()
    }

    /// The body ended normally.
    func finish() {
        guard case .open = end else { return }
        end = .finished
        wake()
    }

    /// The client left before the end: `next()` throws `StreamClosedError`.
    func fail() {
        guard case .open = end else { return }
        end = .failed
        chunks.removeAll()
        buffered = 0
        wake()
    }

    func next() async throws(StreamClosedError) -> [UInt8]? {
        eventLoop.preconditionInEventLoop()
        while true {
            if let chunk = chunks.popFirst() {
                buffered -= chunk.count
                if buffered < lowWatermark { resumeReading() }
                return chunk
            }
            switch end {
            case .finished: return nil
            case .failed: throw StreamClosedError()
            case .open: await withCheckedContinuation { waiter = $0 }
            }
        }
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }
}
