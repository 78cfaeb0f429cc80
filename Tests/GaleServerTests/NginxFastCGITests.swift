import Foundation
import Gale
import GaleTesting
import Testing

/// Real nginx in front of `friendfeed fastcgi`, configured by `Docs/deploy/nginx-fastcgi.conf`.
@Suite struct NginxFastCGITests {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static func freePort() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.featureUnsupported)
        }
        return port
    }

    @Test(.timeLimit(.minutes(2)))
    func friendFeedBehindNginx() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: make test installs it")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("app.sock").path
        let port = try Self.freePort()
        let template = try String(
            contentsOf: Self.repository.appendingPathComponent("Docs/deploy/nginx-fastcgi.conf"), encoding: .utf8)
        let config = template.replacingOccurrences(of: "@SOCKET@", with: socket)
            .replacingOccurrences(of: "@PREFIX@", with: directory.path)
            .replacingOccurrences(of: "@PORT@", with: String(port))
        let configPath = directory.appendingPathComponent("nginx.conf").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)

        let app = try ExampleProcess(
            "friendfeed", ["fastcgi", "--socket", socket, "--socket-mode", "666"], directory: directory,
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(await app.waitForOutput(containing: "serving FastCGI"))
        let server = try ExampleProcess(
            nginx, ["-c", configPath, "-p", directory.path + "/", "-e", directory.path + "/error.log"])

        // Wait (bounded) for nginx to accept.
        var connection: RawConnection?
        for _ in 0..<100 where connection == nil {
            connection = try? await RawConnection.connect(host: "127.0.0.1", port: port)
            if connection == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(connection != nil, "nginx did not start: \(server.printed)")
        connection?.close()

        func get(_ target: String, _ headers: [String: String] = [:]) async throws -> TestResponse {
            let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
            defer { connection.close() }
            let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
            try await connection.send("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\(extra)Connection: close\r\n\r\n")
            return try await connection.readResponse()
        }

        let whoami = try await get("/whoami")
        #expect(whoami.status == 200)
        #expect(whoami.text.contains(#""remote_ip":"127.0.0.1""#))
        let home = try await get("/")
        let logo = try #require(home.text.firstMatch(of: /src="([^"]+)"/)?.1)
        #expect(try await get(String(logo)).headers["Cache-Control"] == "max-age=315360000")
        let range = try await get("/static/big.bin", ["Range": "bytes=10-19"])
        #expect(range.status == 206)
        #expect(range.body.count == 10)
        let etag = try #require(range.headers["Etag"])
        #expect(try await get("/static/big.bin", ["If-None-Match": etag]).status == 304)
        let escape = try await get("/static/%2e%2e/FriendFeed.swift")
        #expect([400, 403, 404].contains(escape.status))
        #expect(!escape.text.contains("GaleApp"))

        // 50 clients at once.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<50 {
                group.addTask { try await get("/whoami?client=\(index)").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 50 && statuses.allSatisfy { $0 == 200 })

        #expect(await server.stop() == 0)
        #expect(await app.stop() == 0)
    }
}
