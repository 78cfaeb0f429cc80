import CompressNIO
import Gale
import NIOCore

/// permessage-deflate (RFC 7692) for one connection: zlib through CompressNIO, called
/// synchronously on the connection's event loop.
///
/// swift-websocket's WSCompression negotiates the parameters (`Parameters(answer:)` reads its
/// answer back); its per-frame extension is not used, because it is reachable only from
/// WSCore's own connection loop and hops to two actors per message. The zlib calls are the
/// same ones it makes.
final class WebSocketDeflate {
    /// What the server's `Sec-WebSocket-Extensions` answer agreed to.
    struct Parameters: Equatable {
        /// `server_max_window_bits`: the window this side compresses with.
        var sendMaxWindow = 15
        /// `server_no_context_takeover`: each message compressed on its own.
        var sendNoContextTakeover = false
        /// `client_no_context_takeover`: the client compresses each message on its own.
        var receiveNoContextTakeover = false

        /// Reads a `permessage-deflate; server_no_context_takeover; ...` answer.
        init?(answer: String) {
            // Tokens hold no spaces (RFC 7692 §5): dropping every blank trims them.
            let items = answer.split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" } }
            guard items.first == "permessage-deflate" else { return nil }
            for item in items.dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1)
                switch pair.first ?? "" {
                case "server_max_window_bits":
                    // zlib's raw deflate takes 9 to 15; a client asking for 8 gets 9, as zlib
                    // itself does for the zlib format.
                    if pair.count == 2, let bits = Int(pair[1]) { sendMaxWindow = min(15, max(9, bits)) }
                case "server_no_context_takeover": sendNoContextTakeover = true
                case "client_no_context_takeover": receiveNoContextTakeover = true
                default: break
                }
            }
        }
    }

    let parameters: Parameters
    let minimumSize: Int
    let maxMessageSize: Int
    private let compressor: ZlibCompressor
    private let decompressor: ZlibDecompressor

    init(parameters: Parameters, options: WebSocketCompressionOptions, maxMessageSize: Int) throws {
        self.parameters = parameters
        self.minimumSize = options.minimumSize
        self.maxMessageSize = maxMessageSize
        compressor = try ZlibCompressor(
            algorithm: .deflate,
            configuration: ZlibConfiguration(
                windowSize: Int32(parameters.sendMaxWindow),
                compressionLevel: Int32(options.compressionLevel ?? -1),
                memoryLevel: Int32(options.memoryLevel ?? 8)))
        // Inflating with the largest window reads whatever window the client compressed with.
        decompressor = try ZlibDecompressor(algorithm: .deflate, windowSize: 15)
    }

    /// A message's payload as it goes out: compressed (and `true`) unless shorter than
    /// `minimumSize`.
    func compress(_ payload: ByteBuffer) throws -> (ByteBuffer, compressed: Bool) {
        guard payload.readableBytes >= minimumSize else { return (payload, false) }
        var input = payload
        var output = try input.compressStream(with: compressor, flush: .sync, allocator: ByteBufferAllocator())
        // RFC 7692 §7.2.1: the sync flush's trailing 00 00 ff ff is left off.
        output.moveWriterIndex(to: output.writerIndex - 4)
        if parameters.sendNoContextTakeover { try compressor.reset() }
        return (output, true)
    }

    /// A compressed message's payload, inflated; throws `CompressNIOError.bufferOverflow` past
    /// `maxMessageSize`, another error for data that is not deflate.
    func decompress(_ payload: ByteBuffer) throws -> ByteBuffer {
        var input = payload
        input.writeBytes([0, 0, 0xFF, 0xFF])  // RFC 7692 §7.2.2
        // Room for one byte more than the limit, so "exactly the limit" is told from "over it".
        let limit = maxMessageSize < .max ? maxMessageSize + 1 : .max
        let output = try input.decompressStream(with: decompressor, maxSize: limit, allocator: ByteBufferAllocator())
        guard output.readableBytes <= maxMessageSize else { throw CompressNIOError.bufferOverflow }
        // Input left over: the message ended with a final block (BFINAL, RFC 7692 §7.2.3.3),
        // so the client starts a new deflate stream with its next message.
        if parameters.receiveNoContextTakeover || input.readableBytes > 0 { try decompressor.reset() }
        return output
    }
}
