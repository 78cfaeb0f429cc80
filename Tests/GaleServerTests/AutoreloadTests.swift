import Foundation
import GaleTesting
import Testing

/// Autoreload in the running process, as `serve --autoreload` (or debug mode) runs it: a new
/// executable written where the old one was is served after a restart in place (same pid, same
/// socket), never while half-written, with a client loop that sees no failure throughout.
@Suite(.serialized) struct AutoreloadTests {
    /// A scratch directory with a copy of `product` as `app`.
    static func scratch(with product: String) throws -> (directory: URL, app: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gale-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let app = directory.appendingPathComponent("app")
        try FileManager.default.copyItem(at: ExampleProcess.binDirectory.appendingPathComponent(product), to: app)
        return (directory, app)
    }

    @Test(.timeLimit(.minutes(2))) func aRebuiltExecutableIsServedAfterARestartInPlace() async throws {
        let (directory, app) = try Self.scratch(with: "GaleTestServer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ExampleProcess(
            app.path, ["--port", "0", "--autoreload"], environment: ["FRIENDFEED_COOKIE_SECRET": "reload-test"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        #expect(await server.waitForOutput(containing: "autoreload: watching \(app.path)"), "\(server.printed)")
        let url = "http://127.0.0.1:\(port)/whoami"
        let loop = ClientLoop(url)
        try await Task.sleep(for: .milliseconds(300))

        // "swift build": the linker removes the old file and writes the new one, here in two
        // halves a second apart. The half-written file must never be started.
        let new = try Data(contentsOf: ExampleProcess.binDirectory.appendingPathComponent("friendfeed"))
        #expect(unlink(app.path) == 0)
        #expect(FileManager.default.createFile(atPath: app.path, contents: new.prefix(new.count / 2)))
        #expect(chmod(app.path, 0o755) == 0)
        try await Task.sleep(for: .seconds(1))
        #expect(try await httpGet(port: port, "/whoami").status == 404, "the old program still serves meanwhile")
        let handle = try FileHandle(forWritingTo: app)
        try handle.seekToEnd()
        try handle.write(contentsOf: new.suffix(from: new.count / 2))
        try handle.close()

        #expect(await server.waitForOutput(containing: "autoreload: restarting"), "\(server.printed)")
        var answer = try await httpGet(port: port, "/whoami")
        for _ in 0..<100 where answer.status != 200 {
            try await Task.sleep(for: .milliseconds(100))
            answer = try await httpGet(port: port, "/whoami")
        }
        // The new program answers, in the same process (an exec, not a new process).
        #expect(answer.status == 200 && answer.text.contains(#""pid": \#(server.pid)"#), "\(answer.text)")
        let counts = try await loop.finish()
        #expect(Set(counts.keys).isSubset(of: ["404", "200"]) && counts["200"] != nil, "\(counts)\n\(server.printed)")
        #expect(!server.printed.contains("cannot execute"), "\(server.printed)")
        #expect(await server.stop() == 0)
    }

    @Test(.timeLimit(.minutes(2))) func aWatchedFileRestartsAfterTheReloadHooks() async throws {
        let (directory, app) = try Self.scratch(with: "GaleTestServer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let watched = directory.appendingPathComponent("settings.conf")
        try "a = 1\n".write(to: watched, atomically: true, encoding: .utf8)
        let server = try ExampleProcess(
            app.path, ["--port", "0", "--autoreload"], environment: ["GALE_TEST_WATCH": watched.path])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        #expect(await server.waitForOutput(containing: "autoreload: watching"), "\(server.printed)")
        // A request in flight when the change comes is finished by the drain hook first.
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await connection.send("GET /slow?ms=800 HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(200))
        // An editor's save: a new file renamed over the old.
        let staged = directory.appendingPathComponent("settings.conf.tmp")
        try "a = 2\n".write(to: staged, atomically: false, encoding: .utf8)
        #expect(rename(staged.path, watched.path) == 0)
        let response = try await connection.readResponse(timeout: .seconds(20))
        #expect(response.status == 200 && response.text == "slept")
        #expect(await server.waitForOutput(containing: "reload hook ran (pid \(server.pid))"), "\(server.printed)")
        #expect(await server.waitForOutput(containing: "settings.conf changed"))
        // Served again by the restarted image: the log says so twice, and it answers.
        let deadline = ContinuousClock.now + .seconds(20)
        while server.printed.components(separatedBy: "serving on").count < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(server.printed.components(separatedBy: "serving on").count == 3, "\(server.printed)")
        #expect(try await httpGet(port: port, "/slow?ms=1").text == "slept")
        #expect(await server.stop() == 0)
    }

    /// `--debug` (the app passes it to `Settings`) turns autoreload on; without either flag it
    /// stays off.
    @Test func debugModeTurnsAutoreloadOn() async throws {
        for (flags, watching) in [(["--debug"], true), ([], false)] {
            let server = try ExampleProcess(
                "friendfeed", ["--port", "0"] + flags, environment: ["FRIENDFEED_COOKIE_SECRET": "reload-test"])
            _ = try #require(await server.servingPort(), "\(server.printed)")
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.printed.contains("autoreload: watching") == watching, "\(flags): \(server.printed)")
            #expect(await server.stop() == 0)
        }
    }

    @Test func severalProcessesAreRefused() async throws {
        let server = try ExampleProcess("GaleTestServer", ["--port", "0", "--autoreload", "--processes", "2"])
        #expect(await server.stop(signal: 0) != 0)
        #expect(server.printed.contains("autoreload restarts one process in place"), "\(server.printed)")
    }
}
