import Foundation
import Gale
import GaleTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A 1 GiB file to 10 clients at once, through the real FriendFeed process: the file leaves
/// the core as a file body and goes out with sendfile, so the server's memory stays flat.
@Suite struct LargeFileTests {
    @Test(.timeLimit(.minutes(2)))
    func oneGibibyteToTenClientsKeepsMemoryFlat() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-large-\(UUID().uuidString)")
        let files = directory.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let size = 1 << 30
        // Sparse: a gibibyte of zeros without a gibibyte of disk.
        let created = FileManager.default.createFile(
            atPath: files.appendingPathComponent("huge.bin").path, contents: nil)
        #expect(created)
        let handle = try FileHandle(forWritingTo: files.appendingPathComponent("huge.bin"))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()

        let server = try ExampleProcess(
            "friendfeed", ["--port", "0", "--static-path", files.path], directory: directory,
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        // Warm: hash the file once (the ETag) before measuring.
        _ = try await ChildProcess(
            "/usr/bin/curl", ["-s", "-o", "/dev/null", "-r", "0-0", "http://127.0.0.1:\(port)/static/huge.bin"]
        ).run()
        let idle = try #require(server.residentBytes)

        let clients = try (0..<10).map { _ in
            try ChildProcess(
                "/usr/bin/curl",
                ["-s", "-o", "/dev/null", "-w", "%{size_download}", "http://127.0.0.1:\(port)/static/huge.bin"]
            ).start()
        }
        var peak = idle
        while clients.contains(where: \.isRunning) {
            peak = max(peak, server.residentBytes ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        for client in clients {
            let outcome = try await client.finish()
            #expect(outcome.status == 0)
            #expect(outcome.text == String(size))
        }
        print("1 GiB x 10 clients: server RSS idle \(idle >> 20) MiB, peak \(peak >> 20) MiB")
        // 10 GiB went out; the server grew by less than 64 MiB.
        #expect(peak - idle < 64 << 20, "idle \(idle >> 20) MiB, peak \(peak >> 20) MiB")
        #expect(await server.stop() == 0)
    }
}

/// A 1 GiB upload to a handler that streams its body (`streamRequestBody`), in a server process
/// of its own: the body is read no faster than the handler takes it, so memory stays flat.
@Suite struct StreamedUploadTests {
    @Test(.timeLimit(.minutes(3)))
    func oneGibibyteUploadIsHandledInConstantMemory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gale-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("huge.bin")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(1 << 30))  // sparse zeros
        try handle.close()

        let server = try ExampleProcess("GaleTestServer", ["--port", "0", "--address", "127.0.0.1"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let idle = try #require(server.residentBytes)
        let curl = try ChildProcess("/usr/bin/curl", ["-s", "-T", file.path, "http://127.0.0.1:\(port)/upload"]).start()
        var peak = idle
        while curl.isRunning {
            peak = max(peak, server.residentBytes ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        let answer = try await curl.finish().text
        // The SHA-256 of 2^30 zero bytes.
        #expect(answer == "1073741824 49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14")
        print("1 GiB upload: server RSS idle \(idle >> 20) MiB, peak \(peak >> 20) MiB")
        #expect(peak - idle < 64 << 20, "the server grew by \((peak - idle) >> 20) MiB")
        #expect(await server.stop() == 0)
    }
}

/// A file cut shorter while it is being sent: the server closes the connection within about a
/// second (the head promised more than the file now holds), as nginx does, instead of retrying
/// sendfile forever at full CPU.
@Suite struct TruncatedWhileSendingTests {
    @Test(.timeLimit(.minutes(1)))
    func aFileCutShortWhileSentClosesTheConnection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/big.bin"
        let size = 64 << 20
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))  // sparse zeros
        try handle.close()
        // A fixed version: hashing 64 MiB in a debug build would hold a core for many seconds.
        let app = Application(
            [URLSpec](),
            settings: Settings(staticPath: directory.path, staticHandlerClass: FixedVersionStaticHandler.self)
        ).withLogLevel(.critical)
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            #expect(try await client.get("/static/big.bin", headers: ["Range": "bytes=0-0"]).status == 206)
            // A client that reads slowly: a small receive buffer, read only after the cut.
            let socket = try SlowSocket(port: port)
            defer { socket.close() }
            try socket.send("GET /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await socket.receive(atLeast: 1, timeout: .seconds(10))
            #expect(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            #expect(truncate(path, 1000) == 0)
            let (received, closed) = await socket.receiveUntilClosed(timeout: .seconds(10))
            #expect(closed, "the connection is still open, \(received + head.count) bytes received")
            #expect(received + head.count < size)
        }
    }
}

/// Static files whose version is fixed, so none is read to be hashed.
final class FixedVersionStaticHandler: StaticFileHandler {
    override class func getContentVersion(absolutePath: String) throws -> String { "fixed" }
}

/// A blocking-free TCP client over a plain socket with a small receive buffer, so the server's
/// sends back up until it reads.
struct SlowSocket {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var small: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw POSIXError(.EIO)
        }
    }

    /// Whatever has arrived once at least `count` bytes have (polled every few milliseconds).
    func receive(atLeast count: Int, timeout: Duration) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while bytes.count < count {
            guard ContinuousClock.now < deadline else { throw POSIXError(.ETIMEDOUT) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let got = Glibc.recv(descriptor, &buffer, buffer.count, 0)
            if got > 0 { bytes += buffer[..<got] } else { try await Task.sleep(for: .milliseconds(5)) }
        }
        return bytes
    }

    /// Reads everything until the server closes (or resets) the connection, or `timeout` passes.
    func receiveUntilClosed(timeout: Duration) async -> (received: Int, closed: Bool) {
        var received = 0
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while ContinuousClock.now < deadline {
            let got = Glibc.recv(descriptor, &buffer, buffer.count, 0)
            if got > 0 {
                received += got
            } else if got == 0 || errno != EAGAIN {
                return (received, true)
            } else {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        return (received, false)
    }

    func close() { Glibc.close(descriptor) }
}
