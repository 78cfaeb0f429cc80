import Foundation
import GaleTesting
import Testing

/// `friendfeed fastcgi` as a real process, driven by libfcgi's own client, `cgi-fcgi`.
@Suite struct FastCGITests {
    /// Runs `cgi-fcgi -bind -connect SOCKET` with CGI `variables` and `body` on stdin.
    func fastCGIRequest(_ socket: String, _ variables: [String: String], body: String = "") async throws -> String {
        var command = ChildProcess("/usr/bin/cgi-fcgi", ["-bind", "-connect", socket])
        command.environment = variables
        command.replacingEnvironment = true
        command.input = Data(body.utf8)
        return try await command.run().text
    }

    @Test func servesThroughAUnixSocket() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-fcgi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("app.sock").path
        let server = try ExampleProcess(
            "friendfeed", ["fastcgi", "--socket", socket, "--threads", "2"], directory: directory,
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(await server.waitForOutput(containing: "serving FastCGI on \(socket)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: socket)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)

        let whoami = try await fastCGIRequest(
            socket, ["REQUEST_METHOD": "GET", "REQUEST_URI": "/whoami", "REMOTE_ADDR": "10.1.2.3", "HTTPS": "on"])
        #expect(whoami.hasPrefix("Status: 200 OK\r\n"))
        #expect(whoami.contains(#""remote_ip": "10.1.2.3""#))
        #expect(whoami.contains(#""protocol": "https""#))

        let range = try await fastCGIRequest(
            socket, ["REQUEST_METHOD": "GET", "REQUEST_URI": "/static/big.bin", "HTTP_RANGE": "bytes=0-99"])
        #expect(range.hasPrefix("Status: 206 Partial Content\r\n"))
        #expect(range.contains("Content-Range: bytes 0-99/1572864\r\n"))
        #expect(range.utf8.count > 100)

        let bad = try await fastCGIRequest(
            socket, ["REQUEST_METHOD": "POST", "REQUEST_URI": "/login", "CONTENT_LENGTH": "x"])
        #expect(bad.hasPrefix("Status: 400"))
        // The process keeps serving after bad input.
        #expect(
            try await fastCGIRequest(socket, ["REQUEST_METHOD": "GET", "REQUEST_URI": "/robots.txt"]).contains(
                "Disallow"))
        #expect(await server.stop() == 0)
    }

    @Test func spawnFCGIHandsOverTheSocketOnDescriptorZero() async throws {
        let spawn = "/usr/bin/spawn-fcgi"
        try #require(
            FileManager.default.isExecutableFile(atPath: spawn), "spawn-fcgi is missing: make test installs it")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("spawned.sock").path
        let binary = ExampleProcess.binDirectory.appendingPathComponent("friendfeed").path
        // -n: no fork, so spawn-fcgi becomes the app (same PID) with the socket on fd 0.
        let server = try ExampleProcess(
            spawn, ["-n", "-s", socket, "-M", "0600", "--", binary, "fastcgi", "--threads", "1"], directory: directory,
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(await server.waitForOutput(containing: "serving FastCGI on the inherited socket"))
        let answer = try await fastCGIRequest(socket, ["REQUEST_METHOD": "GET", "REQUEST_URI": "/robots.txt"])
        #expect(answer.hasPrefix("Status: 200 OK\r\n"))
        #expect(answer.contains("Disallow: /login"))
        #expect(await server.stop() == 0)
    }

    @Test func withoutASocketItSaysWhatToGive() async throws {
        let server = try ExampleProcess("friendfeed", ["fastcgi"], environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(await server.stop(signal: 0, timeout: .seconds(10)) != 0)
        #expect(
            server.printed.contains("no FastCGI socket on file descriptor 0: give --socket PATH or --bind HOST:PORT"))
    }
}
