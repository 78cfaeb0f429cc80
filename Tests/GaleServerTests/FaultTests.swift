import Foundation
import Gale
import GaleCommand
import GaleTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Faults around a running server (see "When things fail" in Docs/Deploying.md): each has a
/// documented outcome, and the process keeps serving.
@Suite(.serialized) struct FaultTests {
    /// The CPU time (user + system) `pid` has used, from /proc.
    static func cpuTime(_ pid: Int32) -> Duration? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the name start at 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return .milliseconds((user + system) * 1000 / ticks)
    }

    @Test func outOfFileDescriptorsPausesAcceptingWithoutSpinningOrStopping() async throws {
        // `hello` with at most 48 descriptors; 120 clients connect and stay. Accept fails with
        // EMFILE once the descriptors are gone. Without a backoff the listener stays readable
        // and the loop retries at once (measured before the fix: 1.1 s of CPU in 3 s, and 250,000
        // log lines in 15 s); with it, about nothing.
        let binary = ExampleProcess.binDirectory.appendingPathComponent("hello").path
        let hello = try ExampleProcess("/bin/sh", ["-c", "ulimit -n 48 && exec '\(binary)' --port 0"])
        let port = try #require(await hello.servingPort(), "no serving line in: \(hello.printed)")
        var flood: [RawConnection] = []
        for _ in 0..<120 {
            guard let connection = try? await RawConnection.connect(host: "127.0.0.1", port: port) else { break }
            flood.append(connection)
        }
        #expect(flood.count == 120, "the kernel's backlog takes what the server cannot accept")
        #expect(await hello.waitForOutput(containing: "accept failed", timeout: .seconds(20)), "\(hello.printed)")
        let before = try #require(Self.cpuTime(hello.pid))
        let clock = ContinuousClock()
        let started = clock.now
        try await Task.sleep(for: .seconds(3))
        let spent = try #require(Self.cpuTime(hello.pid)) - before
        let elapsed = clock.now - started
        #expect(spent < elapsed / 10, "the server used \(spent) of CPU in \(elapsed) while out of descriptors")
        // The flood leaves: the server accepts again within its backoff and answers.
        for connection in flood { connection.close() }
        let deadline = clock.now + .seconds(20)
        var answered = false
        while !answered, clock.now < deadline {
            answered = (try? await httpGet(port: port, "/").status) == 200
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered, "\(hello.printed.suffix(2000))")
        #expect(await hello.stop() == 0)
    }

    @Test func aFileDeletedWhileSentIsSentWhole() async throws {
        // The response holds the file open: on Linux a deleted file lives on until it is closed,
        // so the client gets every byte the head promised. (A file cut short while sent is
        // `TruncatedWhileSendingTests`.)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/big.bin"
        let size = 16 << 20
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))  // sparse zeros
        try handle.close()
        let app = Application(
            [URLSpec](),
            settings: Settings(staticPath: directory.path, staticHandlerClass: FixedVersionStaticHandler.self)
        ).withLogLevel(.critical)
        try await app.test(.live) { client async throws in
            let port = try #require(client.port)
            let socket = try SlowSocket(port: port)
            defer { socket.close() }
            try socket.send("GET /static/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let head = try await socket.receive(atLeast: 1024, timeout: .seconds(10))
            #expect(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            #expect(unlink(path) == 0)
            let (received, closed) = await socket.receiveUntilClosed(timeout: .seconds(60))
            #expect(closed)
            let headLength = try #require(head.firstRange(of: Array("\r\n\r\n".utf8))).upperBound
            #expect(received + head.count - headLength == size)
            // The next request for it is a 404, and the server goes on.
            #expect(try await client.get("/static/big.bin").status == 404)
        }
    }

    @Test func aFullDiskLeavesNoHalfWrittenDevelopmentSecret() async throws {
        // A 4 KiB tmpfs, filled: writing the secret fails with ENOSPC. The tests run as root
        // (the Makefile's `make test` and CI); a missing CAP_SYS_ADMIN fails here.
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("gale-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        let mount = try await ChildProcess(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=4k", "tmpfs", mountPoint.path]
        ).run()
        try #require(mount.status == 0, "mount -t tmpfs needs root (CAP_SYS_ADMIN): \(mount.errorText)")
        defer { _ = try? ChildProcess("/bin/umount", [mountPoint.path]).runBlocking() }
        let directory = mountPoint.appendingPathComponent(".gale")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Fill it: a page-sized file takes the only page.
        let filler = open(mountPoint.appendingPathComponent("filler").path, O_WRONLY | O_CREAT, 0o600)
        let page = [UInt8](repeating: 0, count: 4096)
        while page.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
        close(filler)

        #expect {
            try CookieSecret.resolve(given: nil, appName: "app", environment: [:], directory: directory.path)
        } throws: { error in
            "\(error)".contains("No space left on device") && "\(error)".contains("APP_COOKIE_SECRET")
        }
        // Neither the secret nor its temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])

        // Space again: the secret is written whole.
        try FileManager.default.removeItem(at: mountPoint.appendingPathComponent("filler"))
        let secret = try CookieSecret.resolve(given: nil, appName: "app", environment: [:], directory: directory.path)
        #expect(secret?.count == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["app-cookie-secret"])
    }

    @Test func aDamagedDevelopmentSecretIsReplaced() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gale-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // What an older Gale could leave after a full disk: the start of a secret.
        try Data("0123456789abcdef".utf8).write(to: directory.appendingPathComponent("app-cookie-secret"))
        let secret = try #require(
            try CookieSecret.resolve(given: nil, appName: "app", environment: [:], directory: directory.path))
        #expect(secret.count == 64)
        #expect(secret != "0123456789abcdef")
        #expect(
            try CookieSecret.resolve(given: nil, appName: "app", environment: [:], directory: directory.path) == secret)
    }
}
