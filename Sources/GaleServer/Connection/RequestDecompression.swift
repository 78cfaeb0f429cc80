import CompressNIO
import Gale
import NIOCore

/// Inflates a gzipped request body before the handler sees it, for
/// `HTTPServer.Configuration.decompressRequest`. Tornado: `decompress_request`
/// (`_GzipMessageDelegate`): `Content-Encoding: gzip` is consumed and named in
/// `X-Consumed-Content-Encoding`; other encodings are left to the handler (its body arguments
/// refuse them with 415).
enum RequestDecompression {
    /// Inflates `request`'s body when it is gzipped. The inflated size counts against `limit`
    /// (413 past it, so a small bomb cannot fill memory); data that is not gzip is a 400.
    static func inflate(_ request: inout ServerRequest, limit: Int) throws(HTTPError) {
        guard let encoding = request.headers["Content-Encoding"], encoding.lowercased() == "gzip" else { return }
        var input = ByteBuffer(bytes: request.body)
        let output: ByteBuffer
        do {
            let decompressor = try ZlibDecompressor(algorithm: .gzip)
            // One byte past the limit tells "exactly the limit" from "over it".
            output = try input.decompressStream(
                with: decompressor, maxSize: limit < .max ? limit + 1 : .max, allocator: ByteBufferAllocator())
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw HTTPError(413, logMessage: "gzip body inflates past \(limit) bytes")
        } catch {
            throw HTTPError(400, reason: "Invalid gzip request body", logMessage: "\(error)")
        }
        guard output.readableBytes <= limit else {
            throw HTTPError(413, logMessage: "gzip body inflates past \(limit) bytes")
        }
        request.body = Array(output.readableBytesView)
        request.headers.remove("Content-Encoding")
        request.headers.add("X-Consumed-Content-Encoding", encoding)
    }
}
