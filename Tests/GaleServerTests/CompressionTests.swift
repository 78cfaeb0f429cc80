import CompressNIO
import Foundation
import Gale
import GaleServer
import GaleTesting
import Logging
import NIOCore
import Testing

/// `compressResponse` (Tornado's `GZipContentEncoding`) on Gale's server, checked with real
/// gzip clients (curl's `--compressed`, Python's gzip) and zlib.
@Suite struct CompressionTests {
    static let text = String(repeating: "Gale speaks gzip when asked. ", count: 100)

    final class PageHandler: RequestHandler {
        override func get() throws {
            switch try getArgument("kind", default: "text") {
            case "small": try write("small")
            case "png":
                try setHeader("Content-Type", "image/png")
                try write(CompressionTests.text)
            case "encoded":
                try setHeader("Content-Encoding", "br")
                try write(CompressionTests.text)
            case "json": try write(["text": CompressionTests.text])
            default: try write(CompressionTests.text)
            }
        }
        override func head() throws { try get() }
    }

    /// The stream test's handler waits here after its first flush.
    static let gate = Gate()

    /// A flush, then more once the test opens the gate: the first part reaches the client
    /// compressed before the rest exists.
    final class StreamHandler: AsyncRequestHandler {
        override func get() async throws {
            try write("part 0: " + CompressionTests.text)
            try await flush()
            try await CompressionTests.gate.pass()
            for part in 1..<3 { try write("part \(part): " + CompressionTests.text) }
        }
    }

    static var app: Application {
        get throws {
            try Application(
                [("/", PageHandler.self), ("/stream", StreamHandler.self)],
                settings: Settings(compressResponse: true)
            ).withLogLevel(.critical)
        }
    }

    static func gunzip(_ bytes: [UInt8]) throws -> String {
        var buffer = ByteBuffer(bytes: bytes)
        let inflated = try buffer.decompress(with: .gzip)
        return String(decoding: inflated.readableBytesView, as: UTF8.self)
    }

    @Test func textIsGzippedForClientsThatAskAndVaryIsAlwaysSent() async throws {
        try await Self.app.test(.live) { client async throws in
            let zipped = try await client.get("/", headers: ["Accept-Encoding": "gzip, deflate"])
            #expect(zipped.headers["Content-Encoding"] == "gzip")
            #expect(zipped.headers["Vary"] == "Accept-Encoding")
            #expect(zipped.headers["Content-Length"] == String(zipped.body.count))
            #expect(zipped.body.count < Self.text.utf8.count / 10)
            #expect(try Self.gunzip(zipped.body) == Self.text)

            // Not asked, too small, not a compressible type, already encoded: as they are.
            for (target, headers) in [
                ("/", [:]), ("/?kind=small", ["Accept-Encoding": "gzip"]), ("/?kind=png", ["Accept-Encoding": "gzip"]),
                ("/?kind=encoded", ["Accept-Encoding": "gzip"]),
            ] as [(String, HTTPHeaders)] {
                let plain = try await client.get(target, headers: headers)
                #expect(plain.headers["Content-Encoding"] != "gzip", "\(target)")
                #expect(plain.headers["Vary"] == "Accept-Encoding", "\(target)")
                #expect(plain.headers["Content-Length"] == String(plain.body.count), "\(target)")
            }
            let json = try await client.get("/?kind=json", headers: ["Accept-Encoding": "gzip"])
            #expect(json.headers["Content-Encoding"] == "gzip")
            #expect(try Self.gunzip(json.body).contains(Self.text))

            // HEAD says what GET would, uncompressed (nothing to compress), as Tornado.
            let head = try await client.execute("HEAD", "/", headers: ["Accept-Encoding": "gzip"])
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }

    @Test func curlAndPythonReadTheGzippedBody() async throws {
        try await Self.app.test(.live) { client async throws in
            let url = "http://127.0.0.1:\(try #require(client.port))/"
            let curl = try await Balancer.curl(["--compressed"], url)
            #expect(curl.status == 200 && curl.headers["content-encoding"] == "gzip" && curl.body == Self.text)
            let python = try await ChildProcess(
                "/usr/bin/python3",
                [
                    "-c",
                    "import gzip, sys, urllib.request; r = urllib.request.urlopen(urllib.request.Request(sys.argv[1], "
                        + "headers={'Accept-Encoding': 'gzip'})); sys.stdout.write(gzip.decompress(r.read()).decode())",
                    url,
                ]
            ).run()
            #expect(python.text == Self.text, "\(python.errorText)")
        }
    }

    @Test func aStreamedResponseIsCompressedAsItFlushes() async throws {
        try await Self.app.test(.live) { client async throws in
            let connection = try await RawConnection.connect(host: "127.0.0.1", port: try #require(client.port))
            defer { connection.close() }
            try await connection.send("GET /stream HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
            // The first flush alone inflates to the first part, before the rest is written.
            let (head, inflated) = try await connection.read(timeout: .seconds(10), what: "first flush") {
                bytes -> (String, String)? in
                guard let split = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
                let head = String(decoding: bytes[..<split.lowerBound], as: UTF8.self).lowercased()
                let text = Self.inflate(Self.dechunk(Array(bytes[split.upperBound...])))
                return text.contains("part 0: ") ? (head, text) : nil
            }
            #expect(head.contains("content-encoding: gzip") && head.contains("transfer-encoding: chunked"))
            #expect(!head.contains("content-length"))
            #expect(inflated == "part 0: " + Self.text, "\(inflated.prefix(80))")
            Self.gate.open()
            let rest = try await connection.read(timeout: .seconds(10), what: "the end") { bytes -> String? in
                guard let split = bytes.firstRange(of: Array("\r\n\r\n".utf8)),
                    bytes.suffix(5).elementsEqual(Array("0\r\n\r\n".utf8))
                else { return nil }
                return Self.inflate(Self.dechunk(Array(bytes[split.upperBound...])))
            }
            #expect(rest == (0..<3).map { "part \($0): " + Self.text }.joined())
        }
    }

    /// As much of a gzip stream as `bytes` holds, inflated.
    static func inflate(_ bytes: [UInt8]) -> String {
        guard let decompressor = try? ZlibDecompressor(algorithm: .gzip) else { return "" }
        var input = ByteBuffer(bytes: bytes)
        var output = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        try? decompressor.inflate(from: &input, to: &output)
        return String(decoding: output.readableBytesView, as: UTF8.self)
    }

    /// The data of whatever whole chunks `bytes` holds.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var data: [UInt8] = []
        var rest = bytes[...]
        while let line = rest.firstRange(of: Array("\r\n".utf8)),
            let size = Int(String(decoding: rest[..<line.lowerBound], as: UTF8.self), radix: 16), size > 0,
            rest.count >= line.upperBound - rest.startIndex + size
        {
            let start = line.upperBound
            data += rest[start..<(start + size)]
            rest = rest[min(rest.endIndex, start + size + 2)...]
        }
        return data
    }

    @Test func aGzippedEtagIsWeakAndStillGives304() async throws {
        try await Self.app.test(.live) { client async throws in
            let zipped = try await client.get("/", headers: ["Accept-Encoding": "gzip"])
            let etag = try #require(zipped.headers["Etag"])
            #expect(etag.hasPrefix("W/\""))
            let plain = try await client.get("/")
            #expect(plain.headers["Etag"].map { "W/" + $0 } == etag)
            let again = try await client.get("/", headers: ["Accept-Encoding": "gzip", "If-None-Match": etag])
            #expect(again.status == 304 && again.body.isEmpty)
            #expect(again.headers["Vary"] == "Accept-Encoding")
        }
    }

    /// Echoes the `name` body argument and how the body came.
    final class FormHandler: RequestHandler {
        override class var maxBodySize: Int? { 1 << 20 }
        override func post() throws {
            let name = try getBodyArgument("name")
            try write("\(name) \(request.headers["X-Consumed-Content-Encoding"] ?? "identity")")
        }
    }

    static func gzip(_ text: String) throws -> [UInt8] {
        var buffer = ByteBuffer(string: text)
        return Array(try buffer.compress(with: .gzip).readableBytesView)
    }

    @Test func gzippedRequestBodiesAreInflatedWithinTheBodyLimit() async throws {
        let app = try Application([("/form", FormHandler.self)]).withLogLevel(.critical)
        let form: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip",
        ]
        try await app.test(.live, configuration: HTTPServer.Configuration(decompressRequest: true)) {
            client async throws in
            let inflated = try await client.post("/form", headers: form, body: try Self.gzip("name=gale"))
            #expect(inflated.status == 200 && inflated.text == "gale gzip", "\(inflated.text)")

            // curl sending a gzipped file, as a client that compresses its uploads does.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("gale-\(UUID().uuidString).gz")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(try Self.gzip("name=curl")).write(to: file)
            let curl = try await Balancer.curl(
                [
                    "-H", "Content-Encoding: gzip", "-H", "Content-Type: application/x-www-form-urlencoded",
                    "--data-binary", "@" + file.path,
                ], "http://127.0.0.1:\(try #require(client.port))/form")
            #expect(curl.status == 200 && curl.body == "curl gzip", "\(curl)")

            // Not gzip: 400. A bomb (10 MiB of zeros in ~10 KiB) past the route's 1 MiB: 413.
            let garbage = try await client.post("/form", headers: form, body: Array("name=gale".utf8))
            #expect(garbage.status == 400 && garbage.reason == "Invalid gzip request body")
            let bomb = try Self.gzip("name=" + String(repeating: "0", count: 10 << 20))
            #expect(bomb.count < 64 << 10)
            #expect(try await client.post("/form", headers: form, body: bomb).status == 413)
            // The server goes on serving.
            #expect(
                try await client.post("/form", headers: form, body: try Self.gzip("name=after")).text == "after gzip")
        }
        // Off (the default, as in Tornado): the body is the handler's, and form parsing refuses it.
        try await app.test(.live) { client async throws in
            #expect(try await client.post("/form", headers: form, body: try Self.gzip("name=gale")).status == 415)
        }
    }
}
