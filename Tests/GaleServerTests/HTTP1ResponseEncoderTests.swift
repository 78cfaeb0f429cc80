import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import GaleServer

/// Gale's HTTP/1 response encoder sends the bytes NIO's `HTTPResponseEncoder` sends, framing
/// included, for every kind of head Gale writes.
@Suite struct HTTP1ResponseEncoderTests {
    /// What `encoder` puts on the wire for `parts`, as one string.
    func wire(_ encoder: any ChannelHandler, _ parts: [HTTPServerResponsePart]) throws -> String {
        let channel = EmbeddedChannel(handler: encoder)
        for part in parts { try channel.writeOutbound(part) }
        let text = try written(channel)
        _ = try channel.finish()
        return text
    }

    /// Everything `channel` has written so far, as one string.
    func written(_ channel: EmbeddedChannel) throws -> String {
        var bytes: [UInt8] = []
        while let buffer = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = buffer else { Issue.record("a file region"); break }
            bytes += buffer.readableBytesView
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func head(
        _ status: HTTPResponseStatus, _ fields: [(String, String)], version: HTTPVersion = .http1_1
    ) -> HTTPServerResponsePart {
        .head(HTTPResponseHead(version: version, status: status, headers: HTTPHeaders(fields)))
    }

    func body(_ text: String) -> HTTPServerResponsePart {
        .body(.byteBuffer(ByteBuffer(string: text)))
    }

    static let responses: [(String, [(String, String)], HTTPResponseStatus, HTTPVersion, [String])] = [
        ("with a length", [("Server", "Gale"), ("Content-Length", "5")], .ok, .http1_1, ["hello"]),
        ("chunked", [("Server", "Gale"), ("Transfer-Encoding", "gzip")], .ok, .http1_1, ["hel", "", "lo"]),
        ("length and encoding", [("transfer-encoding", "chunked"), ("content-length", "2")], .ok, .http1_1, ["hi"]),
        (
            "304", [("Etag", "\"x\""), ("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
            .notModified, .http1_1, []
        ),
        ("204", [("Server", "Gale")], .noContent, .http1_1, []),
        ("101", [("Upgrade", "websocket"), ("Connection", "Upgrade")], .switchingProtocols, .http1_1, []),
        ("HTTP/1.0", [("Server", "Gale")], .ok, .http1_0, ["old"]),
        ("a custom reason", [("Content-Length", "0")], .custom(code: 299, reasonPhrase: "Fine Thanks"), .http1_1, []),
        ("an odd code", [("Content-Length", "0")], .custom(code: 1_000, reasonPhrase: "Big"), .http1_1, []),
        ("an odd version", [("Content-Length", "0")], .ok, HTTPVersion(major: 3, minor: 0), []),
        ("UTF-8 values", [("X-Name", "Zoë ☃"), ("Content-Length", "0")], .notFound, .http1_1, []),
    ]

    @Test(arguments: responses.indices)
    func sendsWhatNIOSends(_ index: Int) throws {
        let (name, fields, status, version, chunks) = Self.responses[index]
        let parts = [head(status, fields, version: version)] + chunks.map(body) + [.end(nil)]
        let ours = try wire(HTTP1ResponseEncoder(), parts)
        #expect(ours == (try wire(HTTPResponseEncoder(), parts)), "\(name)")
        #expect(ours.hasPrefix("HTTP/"), "\(name)")
    }

    @Test func trailersEndAChunkedBodyAsNIOsDo() throws {
        let parts = [head(.ok, []), body("x"), .end(HTTPHeaders([("X-Sum", "1")]))]
        let ours = try wire(HTTP1ResponseEncoder(), parts)
        #expect(ours == (try wire(HTTPResponseEncoder(), parts)))
        #expect(ours.hasSuffix("1\r\nx\r\n0\r\nX-Sum: 1\r\n\r\n"))
    }

    @Test func aBodySentWithTheHeadLeavesInTheSameBuffer() throws {
        let encoder = HTTP1ResponseEncoder()
        let channel = EmbeddedChannel(handler: encoder)
        encoder.sendWithNextHead(Array("hello".utf8))
        try channel.writeOutbound(head(.ok, [("Content-Length", "5")]))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        let first = try channel.readOutbound(as: IOData.self)
        // The end of a body with a length sends nothing but completes its promise in order.
        #expect(try channel.readOutbound(as: IOData.self)?.readableBytes == 0)
        #expect(try channel.readOutbound(as: IOData.self) == nil)
        guard case .byteBuffer(let buffer) = first else {
            Issue.record("no buffer")
            return
        }
        #expect(String(buffer: buffer) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        _ = try channel.finish()
    }

    @Test func aBodySentWithAChunkedHeadIsAChunk() throws {
        let encoder = HTTP1ResponseEncoder()
        let reference = try wire(HTTPResponseEncoder(), [head(.ok, []), body("hello"), .end(nil)])
        let channel = EmbeddedChannel(handler: encoder)
        encoder.sendWithNextHead(Array("hello".utf8))
        try channel.writeOutbound(head(.ok, []))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try written(channel) == reference)
        _ = try channel.finish()
    }

    @Test func aHEADAnswerKeepsItsFramingButSendsNoBody() throws {
        let encoder = HTTP1ResponseEncoder()
        encoder.recordRequestMethod(.HEAD)
        encoder.sendWithNextHead(Array("dropped".utf8))
        let channel = EmbeddedChannel(handler: encoder)
        try channel.writeOutbound(head(.ok, [("Server", "Gale")]))
        #expect(throws: NIOHTTPResponseEncoderError.responseBodyNotAllowed) {
            try channel.writeOutbound(body("also dropped"))
        }
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(
            try written(channel)
                == "HTTP/1.1 200 OK\r\nServer: Gale\r\ntransfer-encoding: chunked\r\n\r\n")
        _ = try channel.finish()
    }

    @Test func onlyTheAnswerToTheHEADIsBodiless() throws {
        let encoder = HTTP1ResponseEncoder()
        let channel = EmbeddedChannel(handler: encoder)
        encoder.recordRequestMethod(.HEAD)
        // A 100 Continue answers no request on its own: the HEAD's answer follows it.
        try channel.writeOutbound(head(.continue, []))
        try channel.writeOutbound(head(.ok, [("Content-Length", "2")]))
        #expect(throws: NIOHTTPResponseEncoderError.responseBodyNotAllowed) { try channel.writeOutbound(body("no")) }
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        encoder.recordRequestMethod(.GET)
        try channel.writeOutbound(head(.ok, [("Content-Length", "3")]))
        try channel.writeOutbound(body("yes"))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(
            try written(channel)
                == "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes")
        _ = try channel.finish()
    }

    @Test func aCONNECTAnswerHasNoFramingHeaders() throws {
        let encoder = HTTP1ResponseEncoder()
        encoder.recordRequestMethod(.CONNECT)
        let ours = try wire(encoder, [head(.ok, [("Content-Length", "0"), ("Server", "Gale")]), .end(nil)])
        #expect(ours == "HTTP/1.1 200 OK\r\nServer: Gale\r\n\r\n")
    }
}
