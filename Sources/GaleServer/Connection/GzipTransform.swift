import CompressNIO
import Gale
import NIOCore
import Synchronization

/// Gzips one response as it goes out, for `Settings.compressResponse`. Tornado:
/// `GZipContentEncoding`, an output transform, with its rules:
///
/// - every response gets `Vary: Accept-Encoding` (added to a `Vary` already there);
/// - the body is gzipped when the request's `Accept-Encoding` names gzip, the type is `text/*`
///   or one of `compressibleTypes`, no `Content-Encoding` is set, and the response either
///   streams (its first chunk is not its last) or is at least `minimumLength` bytes;
/// - a whole response gets the compressed `Content-Length`; a streamed one loses it (chunked),
///   and each flush sends what was compressed so far (a zlib sync flush).
///
/// Beyond Tornado: a gzipped response's `Etag` becomes weak (`W/"..."`), since the bytes
/// differ from the identity representation's (RFC 9110 §8.8.1), and `If-None-Match`, compared
/// weakly, still gives a 304. Partial content (206) and files sent whole (`sendfile`) go as
/// they are: a range counts bytes of the identity body.
final class GzipTransform: Sendable {
    /// Tornado's `CONTENT_TYPES`, besides every `text/*`.
    static let compressibleTypes: Set<String> = [
        "application/javascript", "application/x-javascript", "application/xml", "application/atom+xml",
        "application/json", "application/xhtml+xml", "image/svg+xml",
    ]
    /// Tornado's `MIN_LENGTH`: smaller whole responses are not worth it.
    static let minimumLength = 1024
    /// Tornado's `GZIP_LEVEL`.
    static let level: Int32 = 6

    private let accepted: Bool
    /// The response's zlib stream once it is gzipped; behind a lock, because a handler may
    /// write from a task of its own (`ResponseWriter` is `Sendable`), not only its event loop.
    private let compressor = Mutex<ZlibCompressor?>(nil)

    /// A transform for a request whose `Accept-Encoding` is `acceptEncoding`.
    init(acceptEncoding: String?) {
        // Tornado looks for the word, as here.
        accepted = acceptEncoding?.contains("gzip") ?? false
    }

    /// `chunk` as it should go out.
    func transform(_ chunk: ResponseChunk) -> ResponseChunk {
        compressor.withLock { transform(chunk, stream: &$0) }
    }

    private func transform(_ chunk: ResponseChunk, stream: inout ZlibCompressor?) -> ResponseChunk {
        var chunk = chunk
        if var head = chunk.head {
            decide(&head, chunk: chunk, stream: &stream)
            chunk.head = head
        }
        guard let compressor = stream else { return chunk }
        // A file sent whole after a gzipped start cannot join the stream: end it broken
        // rather than mix raw bytes into it.
        if chunk.file != nil {
            chunk.file = nil
            chunk.body = []
            chunk.isLast = true
            chunk.mustClose = true
        }
        var input = ByteBuffer(bytes: chunk.body)
        do {
            var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input) + 64)
            try input.compressStream(to: &output, with: compressor, flush: chunk.isLast ? .finish : .sync)
            chunk.body = Array(output.readableBytesView)
        } catch {
            // zlib refuses only on misuse or memory exhaustion: end the response broken
            // rather than send a corrupt stream.
            chunk.body = []
            chunk.isLast = true
            chunk.mustClose = true
            stream = nil
        }
        if chunk.isLast {
            stream = nil
            // A whole response: its compressed length.
            chunk.head?.headers.add("Content-Length", String(chunk.body.count))
        }
        return chunk
    }

    /// The first chunk's head: `Vary`, and whether this response is gzipped.
    private func decide(_ head: inout ResponseHead, chunk: ResponseChunk, stream: inout ZlibCompressor?) {
        if let vary = head.headers["Vary"] {
            head.headers.replaceOrAdd("Vary", vary + ", Accept-Encoding")
        } else {
            head.headers.add("Vary", "Accept-Encoding")
        }
        // The cheap tests first: most responses stop at one of them (a client that does not
        // accept gzip, a file), before the type is looked at.
        guard accepted, chunk.file == nil, head.status != 206, !chunk.isLast || chunk.body.count >= Self.minimumLength,
            head.headers["Content-Encoding"] == nil, Self.isCompressible(head.headers["Content-Type"]),
            let compressor = try? ZlibCompressor(
                algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: Self.level))
        else { return }
        stream = compressor
        head.headers.add("Content-Encoding", "gzip")
        if let etag = head.headers["Etag"], !etag.hasPrefix("W/") { head.headers.replaceOrAdd("Etag", "W/" + etag) }
        // The length is known again below for a whole response; a streamed one goes chunked.
        head.headers.remove("Content-Length")
    }
}

extension GzipTransform {
    /// Whether a `Content-Type` is `text/*` or one of `compressibleTypes`, its parameters and
    /// spaces aside and its case ignored.
    static func isCompressible(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let bytes = Array(contentType.utf8.prefix { $0 != UInt8(ascii: ";") })
        var start = 0
        var end = bytes.count
        while start < end && bytes[start] == UInt8(ascii: " ") { start += 1 }
        while end > start && bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        let lowered = String(
            decoding: bytes[start..<end].map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        return lowered.hasPrefix("text/") || compressibleTypes.contains(lowered)
    }
}
