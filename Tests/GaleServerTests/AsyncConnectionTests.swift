import Foundation
import Gale
import GaleServer
import GaleTesting
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Streams `?n` blocks of 64 KiB, awaiting `flush()` after each, and records how far it got.
final class FirehoseHandler: AsyncRequestHandler, InitializableHandler {
    static let block = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
    var meter: Meter?

    func initialize(_ arguments: Meter) { meter = arguments }

    override func get() async throws {
        let blocks = Int(request.query) ?? 16
        try setHeader("Content-Length", blocks * Self.block.count)
        do {
            for _ in 0..<blocks {
                try write(Self.block)
                try await flush()
                meter?.add(Self.block.count)
            }
        } catch {
            meter?.note("\(type(of: error))")
            throw error
        }
    }
}

/// Takes its body in chunks (Tornado's `@stream_request_body`) and reports what arrived.
final class StreamedUploadHandler: AsyncRequestHandler {
    override class var streamRequestBody: Bool { true }
    override class var maxBodySize: Int? { 64 << 20 }
    private var received = 0
    private var sum = 0
    private var chunks = 0
    private var preparedFirst = false

    override func prepare() async throws { preparedFirst = received == 0 }

    override func dataReceived(_ chunk: [UInt8]) async throws {
        received += chunk.count
        sum = chunk.withUnsafeBufferPointer { $0.reduce(sum) { $0 &+ Int($1) } }
        chunks += 1
    }

    /// The size, whether more than one chunk came, whether `prepare` ran first with an empty
    /// `request.body`, and the sum of the bytes.
    override func post() async throws {
        try write("\(received):\(chunks > 1):\(preparedFirst && request.body.isEmpty):\(sum)")
    }
    override func put() async throws { try await post() }
}

/// A route with a smaller body limit than the server's.
final class TinyBodyHandler: RequestHandler {
    override class var maxBodySize: Int? { 10 }
    override func post() throws { try write("\(request.body.count)") }
}

/// Counts bytes and notes events, from any thread.
final class Meter: Sendable {
    private let state = Mutex((bytes: 0, notes: [String]()))
    func add(_ count: Int) { state.withLock { $0.bytes += count } }
    func note(_ text: String) { state.withLock { $0.notes.append(text) } }
    var bytes: Int { state.withLock { $0.bytes } }
    var notes: [String] { state.withLock { $0.notes } }
}

@Suite struct AsyncConnectionTests {
    @Test func clientLeavingCancelsTheTaskAndCallsOnConnectionClose() async throws {
        let gate = Gate()
        try await makeGatedApp(gate).test(.live) { client in
            let connection = try await client.connect()
            try await connection.send("GET /gated HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await gate.events(atLeast: 1) == ["waiting"])
            connection.close()
            #expect(Set(await gate.events(atLeast: 3)) == ["waiting", "cancelled", "onConnectionClose"])
            // The server goes on serving.
            #expect(try await client.get("/").text == "Hello, world")
        }
    }

    @Test func garbagePipelinedBehindAGoodRequestKeepsItsAnswer() async throws {
        for path in ["/", "/slow?20"] {  // answered inline, and from a task
            try await makeServerTestApp().test(.live) { client in
                let connection = try await client.connect()
                try await connection.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\nNOT HTTP AT ALL\r\n\r\n")
                let first = try await connection.readResponse()
                #expect(first.status == 200 && !first.text.isEmpty)
                #expect(try await connection.readResponse().status == 400)
                #expect(await connection.waitForClose())
            }
        }
    }

    @Test func flushWaitsForASlowReader() async throws {
        let meter = Meter()
        let app = Application([try URLSpec("/firehose", FirehoseHandler.self, meter)]).withLogLevel(.critical)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let blocks = 1024  // 64 MiB
            let reader = try SlowReader(
                port: port, request: "GET /firehose?\(blocks) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            // Nothing is read for a while: the handler must stop at what the socket buffers hold.
            try await Task.sleep(for: .milliseconds(500))
            let aheadOfReader = meter.bytes
            #expect(aheadOfReader < 24 << 20, "the handler ran \(aheadOfReader >> 20) MiB ahead of its reader")
            let received = await reader.drain()
            #expect(received > blocks * 64 * 1024)
            #expect(meter.bytes == blocks * 64 * 1024)
        }
    }

    @Test func flushAfterTheClientLeftThrowsStreamClosed() async throws {
        let meter = Meter()
        let app = Application([try URLSpec("/firehose", FirehoseHandler.self, meter)]).withLogLevel(.critical)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let reader = try SlowReader(port: port, request: "GET /firehose?100000 HTTP/1.1\r\nHost: x\r\n\r\n")
            while meter.bytes == 0 { try await Task.sleep(for: .milliseconds(5)) }
            reader.close()
            let deadline = ContinuousClock.now + .seconds(5)
            while meter.notes.isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(meter.notes == ["StreamClosedError"])
            #expect(try await client.get("/firehose?1").body.count == 64 * 1024)
        }
    }

    @Test func streamedBodyArrivesInChunksPastTheServerLimit() async throws {
        let app = try Application([
            ("/stream", StreamedUploadHandler.self), ("/tiny", TinyBodyHandler.self), ("/echo", EchoHandler.self),
        ]).withLogLevel(.critical)
        let configuration = HTTPServer.Configuration(maxBodySize: 1 << 20)
        try await app.test(.live, configuration: configuration) { client in
            let body = [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 19) + Array("end".utf8)
            // The route allows 64 MiB; the server's 1 MiB applies elsewhere.
            let streamed = try await client.post("/stream", body: body)
            let sum = body.withUnsafeBufferPointer { $0.reduce(0) { $0 &+ Int($1) } }
            #expect(streamed.text == "\(body.count):true:true:\(sum)")
            let refused = try await client.execute(
                "POST", "/echo", headers: ["Content-Length": String(body.count)], body: [])
            #expect(refused.status == 413)
            // A route may also allow less than the server: by Content-Length, and by counting.
            #expect(try await client.post("/tiny", body: Array("0123456789".utf8)).text == "10")
            #expect(try await client.post("/tiny", body: Array("0123456789X".utf8)).status == 413)
            let chunked = try await client.post(
                "/tiny", headers: ["Transfer-Encoding": "chunked"], body: Array("b\r\n0123456789X\r\n0\r\n\r\n".utf8))
            #expect(chunked.status == 413)
            // Over the streamed route's own limit: 413 before the body is read.
            let tooBig = try await client.execute(
                "PUT", "/stream", headers: ["Content-Length": String(65 << 20)], body: [])
            #expect(tooBig.status == 413)
        }
    }

    @Test func streamedBodyInMemoryArrivesAsOneChunk() async throws {
        let app = try Application([("/stream", StreamedUploadHandler.self)]).withLogLevel(.critical)
        try await app.test(.inMemory) { client in
            let response = try await client.post("/stream", body: Array("abc".utf8))
            #expect(response.text == "3:false:true:\(97 + 98 + 99)")
        }
    }
}

/// A client that sends one request and then reads nothing until asked, with a small receive
/// buffer, so a server that ignores backpressure shows it.
final class SlowReader: Sendable {
    private let socket: Int32

    init(port: Int, request: String) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var small: Int32 = 32 * 1024
        setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
    }

    /// Reads until the server closes or ten seconds pass without data, on a thread of its own;
    /// returns the bytes read.
    func drain() async -> Int {
        let socket = self.socket
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var total = 0
                var buffer = [UInt8](repeating: 0, count: 256 * 1024)
                while true {
                    let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                    if count <= 0 { break }
                    total += count
                }
                Glibc.close(socket)
                continuation.resume(returning: total)
            }
        }
    }

    func close() {
        Glibc.close(socket)
    }
}
