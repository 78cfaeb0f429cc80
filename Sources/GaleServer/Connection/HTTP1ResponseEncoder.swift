import Gale
import NIOCore
import NIOHTTP1

/// Turns response parts into HTTP/1 bytes, as NIOHTTP1's `HTTPResponseEncoder` does (the same
/// bytes on the wire, framing included), but writes the head in one pass into one buffer.
///
/// NIO's encoder writes each header name, separator, value and line end with its own
/// `ByteBuffer` call, each checking the buffer's capacity and uniqueness (about 6,300
/// instructions for a hello response's five headers), and scans the headers twice more to
/// frame the body. Here the head's length is summed first and its bytes copied in one write.
///
/// Framing, as NIO's encoder with `automaticallySetFramingHeaders` (RFC 9112 §6):
/// - a status without a body (1xx, 204, 304) loses `Content-Length` and `Transfer-Encoding`;
/// - with `Content-Length`, any `Transfer-Encoding` is dropped;
/// - otherwise HTTP/1.1 gets `transfer-encoding: chunked` (in place of any other), and
///   HTTP/1.0 neither (the connection's close ends the body).
///
/// A response to `HEAD` or `CONNECT` keeps its framing headers but carries no body and no
/// last chunk; its body writes fail with NIO's `responseBodyNotAllowed`. NIO's encoder learns
/// each request's method from its decoder; this one from `HTTPChannelHandler`, which sees one
/// request at a time behind NIO's pipelining handler (`recordRequestMethod`).
final class HTTP1ResponseEncoder: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    /// Whether the response being written is chunked.
    private var isChunked = false
    /// Whether the response being written answers `HEAD` or `CONNECT`.
    private var suppressesBody = false
    /// The method of the request the next final response answers, until that head is written.
    private var requestMethod: HTTPMethod?

    /// Body bytes to send with the next head, in the head's buffer.
    private var bodyWithHead: [UInt8] = []

    /// Records the method of the request the next response answers.
    func recordRequestMethod(_ method: HTTPMethod) {
        requestMethod = method
    }

    /// Sends `body` as the first body bytes of the response whose head is written next, in the
    /// same buffer as the head when the body is not chunked: a small response leaves in one
    /// write down the pipeline instead of two. What goes on the wire is what a `.body` part
    /// written after the head would send.
    func sendWithNextHead(_ body: [UInt8]) {
        bodyWithHead = body
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            writeHead(head, context: context, promise: promise)
        case .body(let body):
            if suppressesBody {
                promise?.fail(NIOHTTPResponseEncoderError.responseBodyNotAllowed)
            } else if isChunked && body.readableBytes > 0 {
                writeChunk(body, context: context, promise: promise)
            } else {
                context.write(wrapOutboundOut(body), promise: promise)
            }
        case .end(let trailers):
            suppressesBody = false
            if isChunked {
                var buffer = context.channel.allocator.buffer(capacity: trailers == nil ? 5 : 256)
                buffer.writeStaticString("0\r\n")
                if let trailers {
                    buffer.writeBytes(Self.fieldBytes(trailers))
                }
                buffer.writeStaticString("\r\n")
                context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
            } else if let promise {
                // Nothing to send, but the promise completes in order with the writes before it.
                context.write(
                    wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(capacity: 0))), promise: promise)
            }
        }
    }

    private func writeHead(_ head: HTTPResponseHead, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let code = head.status.code
        var respondingToConnect = false
        // A 1xx other than 101 is followed by the final head, which answers the same request.
        if !(100..<200).contains(code) || code == 101, let method = requestMethod.take() {
            // Matched by case: HTTPMethod's `==` compares raw value strings.
            switch method {
            case .HEAD: suppressesBody = true
            case .CONNECT:
                suppressesBody = true
                respondingToConnect = true
            default: suppressesBody = false
            }
        }
        // One pass over the fields for both their length and the framing headers among them.
        var fieldsLength = 0
        var contentLengthFields = 0
        var transferEncodingFields = 0
        for (name, value) in head.headers {
            let size = name.utf8.count + value.utf8.count + 4
            fieldsLength += size
            switch name.utf8.count {
            case 14 where name.equalsIgnoringASCIICase("content-length"): contentLengthFields += size
            case 17 where name.equalsIgnoringASCIICase("transfer-encoding"): transferEncodingFields += size
            default: break
            }
        }
        let framing = Framing(
            head, hasContentLength: contentLengthFields > 0, respondingToConnect: respondingToConnect)
        isChunked = framing.addsChunked && !suppressesBody
        // A HEAD or CONNECT answer drops its body, as a `.body` part's write would fail.
        let body = suppressesBody ? [] : bodyWithHead
        bodyWithHead = []
        let bodyInHead = isChunked ? [] : body
        let status = StatusLine(head)
        var length = status.length + fieldsLength + 2 + bodyInHead.count
        if framing.dropsContentLength { length -= contentLengthFields }
        if framing.dropsTransferEncoding { length -= transferEncodingFields }
        if framing.addsChunked { length += Self.chunkedField.utf8CodeUnitCount }
        var buffer = context.channel.allocator.buffer(capacity: length)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { memory in
            var out = HeadBytes(memory)
            status.write(to: &out)
            for (name, value) in head.headers where !framing.drops(name) {
                out.put(name)
                out.putSeparator()
                out.put(value)
                out.putLineEnd()
            }
            if framing.addsChunked { out.put(Self.chunkedField) }
            out.putLineEnd()
            out.put(bodyInHead)
            return out.count
        }
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        if isChunked && !body.isEmpty {
            writeChunk(.byteBuffer(context.channel.allocator.buffer(bytes: body)), context: context, promise: nil)
        }
    }

    private static let chunkedField: StaticString = "transfer-encoding: chunked\r\n"

    /// One chunk of a chunked body: its size line, its bytes, and the line end, as NIO writes it.
    private func writeChunk(_ chunk: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let promises: (EventLoopPromise<Void>?, EventLoopPromise<Void>?, EventLoopPromise<Void>?)
        if let promise {
            let all = (
                context.eventLoop.makePromise(of: Void.self), context.eventLoop.makePromise(of: Void.self),
                context.eventLoop.makePromise(of: Void.self)
            )
            all.0.futureResult.and(all.1.futureResult).and(all.2.futureResult).map { _ in }.cascade(to: promise)
            promises = (all.0, all.1, all.2)
        } else {
            promises = (nil, nil, nil)
        }
        var buffer = context.channel.allocator.buffer(capacity: 32)
        buffer.writeString(String(chunk.readableBytes, radix: 16))
        buffer.writeStaticString("\r\n")
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promises.0)
        context.write(wrapOutboundOut(chunk), promise: promises.1)
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes - 2)
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promises.2)
    }

    /// Header fields as `name: value\r\n` lines, without the blank line that ends a head.
    static func fieldBytes(_ headers: NIOHTTP1.HTTPHeaders) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in headers {
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: value.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        return bytes
    }
}

/// How a response head frames its body, and which of its framing headers go.
private struct Framing {
    /// Drop `Content-Length`.
    var dropsContentLength = false
    /// Drop `Transfer-Encoding`.
    var dropsTransferEncoding = false
    /// Append `transfer-encoding: chunked`.
    var addsChunked = false

    init(_ head: HTTPResponseHead, hasContentLength: Bool, respondingToConnect: Bool) {
        if respondingToConnect || !head.status.mayHaveResponseBody {
            dropsContentLength = true
            dropsTransferEncoding = true
        } else if hasContentLength {
            dropsTransferEncoding = true
        } else if head.version.major == 1 && head.version.minor >= 1 {
            // Any other Transfer-Encoding is replaced by `chunked`, appended last as NIO's
            // `replaceOrAdd` does.
            dropsTransferEncoding = true
            addsChunked = true
        }
    }

    /// Whether the header `name` is left out of the head.
    func drops(_ name: String) -> Bool {
        switch name.utf8.count {
        case 14: dropsContentLength && name.equalsIgnoringASCIICase("content-length")
        case 17: dropsTransferEncoding && name.equalsIgnoringASCIICase("transfer-encoding")
        default: false
        }
    }
}

/// `HTTP/1.1 200 OK\r\n`: the version, the code and the status's reason phrase.
private struct StatusLine {
    let version: HTTPVersion
    let code: UInt
    let reason: String

    init(_ head: HTTPResponseHead) {
        version = head.version
        code = head.status.code
        reason = head.status.reasonPhrase
    }

    /// `HTTP/1.x ` for the common versions, NIO's spelling of any other.
    private var versionText: String? {
        version.major == 1 && version.minor <= 1 ? nil : "HTTP/\(version.major).\(version.minor) "
    }

    /// The code's digits: three for every real status, NIO's spelling of any other.
    private var codeText: String? {
        (100...999).contains(code) ? nil : String(code)
    }

    var length: Int {
        (versionText?.utf8.count ?? 9) + (codeText?.utf8.count ?? 3) + 1 + reason.utf8.count + 2
    }

    func write(to out: inout HeadBytes) {
        if let versionText {
            out.put(versionText)
        } else {
            out.put(version.minor == 1 ? "HTTP/1.1 " : "HTTP/1.0 ")
        }
        if let codeText {
            out.put(codeText)
        } else {
            out.put(UInt8(ascii: "0") + UInt8(code / 100))
            out.put(UInt8(ascii: "0") + UInt8(code / 10 % 10))
            out.put(UInt8(ascii: "0") + UInt8(code % 10))
        }
        out.put(UInt8(ascii: " "))
        out.put(reason)
        out.putLineEnd()
    }
}

/// Copies a head's bytes into memory sized for them beforehand.
private struct HeadBytes {
    private let memory: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ memory: UnsafeMutableRawBufferPointer) {
        self.memory = memory
    }

    mutating func put(_ byte: UInt8) {
        memory[count] = byte
        count += 1
    }

    /// `: ` between a field's name and value, stored as two bytes (a string literal here
    /// would be a `String`, copied through `put(_: String)`).
    mutating func putSeparator() {
        put(UInt8(ascii: ":"))
        put(UInt8(ascii: " "))
    }

    /// `\r\n`, stored as two bytes.
    mutating func putLineEnd() {
        put(UInt8(ascii: "\r"))
        put(UInt8(ascii: "\n"))
    }

    mutating func put(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: memory[count...]).copyMemory(from: $0) }
        count += bytes.count
    }

    mutating func put(_ text: StaticString) {
        let bytes = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        UnsafeMutableRawBufferPointer(rebasing: memory[count...]).copyMemory(from: bytes)
        count += bytes.count
    }

    mutating func put(_ text: String) {
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
            UnsafeMutableRawBufferPointer(rebasing: memory[count...]).copyMemory(from: UnsafeRawBufferPointer(bytes))
            return bytes.count
        }
        if let copied {
            count += copied
        } else {
            for byte in text.utf8 { put(byte) }
        }
    }
}
