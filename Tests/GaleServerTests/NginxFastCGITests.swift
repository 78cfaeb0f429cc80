import Foundation
import Gale
import GaleTesting
import Testing

/// Real nginx in front of `friendfeed fastcgi`, configured by `Docs/deploy/nginx-fastcgi.conf`.
@Suite struct NginxFastCGITests {
    @Test(.timeLimit(.minutes(2)))
    func friendFeedBehindNginx() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: make test installs it")
        let deploy = try DeployConfig("nginx-fastcgi.conf")
        defer { deploy.remove() }
        let app = try ExampleProcess(
            "friendfeed", ["fastcgi", "--socket", deploy.socket, "--socket-mode", "666"], directory: deploy.directory,
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(await app.waitForOutput(containing: "serving FastCGI"))
        let server = try ExampleProcess(
            nginx, ["-c", deploy.path, "-p", deploy.directory.path + "/", "-e", deploy.directory.path + "/error.log"])
        try #require(await deploy.waitUntilListening(), "nginx did not start: \(server.printed)")

        let whoami = try await deploy.get("/whoami")
        #expect(whoami.status == 200)
        #expect(whoami.text.contains(#""remote_ip":"127.0.0.1""#))
        let home = try await deploy.get("/")
        let logo = try #require(home.text.firstMatch(of: /src="([^"]+)"/)?.1)
        #expect(try await deploy.get(String(logo)).headers["Cache-Control"] == "max-age=315360000")
        let range = try await deploy.get("/static/big.bin", ["Range": "bytes=10-19"])
        #expect(range.status == 206)
        #expect(range.body.count == 10)
        let etag = try #require(range.headers["Etag"])
        #expect(try await deploy.get("/static/big.bin", ["If-None-Match": etag]).status == 304)
        let escape = try await deploy.get("/static/%2e%2e/FriendFeed.swift")
        #expect([400, 403, 404].contains(escape.status))
        #expect(!escape.text.contains("GaleApp"))

        // 50 clients at once.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<50 {
                group.addTask { try await deploy.get("/whoami?client=\(index)").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 50 && statuses.allSatisfy { $0 == 200 })

        #expect(await server.stop() == 0)
        #expect(await app.stop() == 0)
    }
}
