import Foundation
import Gale
import GaleFastCGI
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
        #expect(whoami.text.contains(#""remote_ip": "127.0.0.1""#))
        // The FriendFeed login flow through nginx: the form, the POST with its token, the
        // redirect, the greeting.
        let (user, location) = try await signInToFriendFeed(port: deploy.port, name: "Zoë <3")
        #expect(location == "/")
        let home = try await deploy.get("/", ["Cookie": "user=\(user)"])
        #expect(home.text.contains("Welcome, Zoë &lt;3."))
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

    /// Uploads through nginx to a `FastCGIServer` in this process, with the same config file.
    @Test(.timeLimit(.minutes(2)))
    func uploadsAndLargeBodiesBehindNginx() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: make test installs it")
        let deploy = try DeployConfig("nginx-fastcgi.conf")
        defer { deploy.remove() }
        let fastCGI = try FastCGIServer(
            gateway: SynchronousGateway(application: try makeServerTestApp(), serveRest: true, runtimeName: "FastCGI"),
            listen: .unixSocket(path: deploy.socket, mode: 0o666), threads: 2)
        fastCGI.start()
        defer { fastCGI.shutdown() }
        let server = try ExampleProcess(
            nginx, ["-c", deploy.path, "-p", deploy.directory.path + "/", "-e", deploy.directory.path + "/error.log"])
        try #require(await deploy.waitUntilListening(), "nginx did not start: \(server.printed)")

        // 600 KiB of every byte value, beside a text field, in one multipart body.
        let file = (0..<(600 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }
        let sum = file.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff_ffff }
        let boundary = "gale-upload-boundary"
        var body = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n--\(boundary)\r\n".utf8)
        body += Array(
            "Content-Disposition: form-data; name=\"photo\"; filename=\"beach.raw\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .utf8)
        body += file + Array("\r\n--\(boundary)--\r\n".utf8)
        let upload = try await post(
            port: deploy.port, "/upload", contentType: "multipart/form-data; boundary=\(boundary)", body: body)
        #expect(upload.status == 200)
        #expect(upload.text == "photo:beach.raw:\(file.count):\(sum)\ntitle=Holiday")

        // A body past nginx's client_max_body_size (1 MiB) is nginx's 413; the app keeps serving.
        // nginx answers on the Content-Length alone, so only the head is sent.
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: deploy.port)
        try await connection.send(
            "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(2 << 20)\r\nConnection: close\r\n\r\n")
        #expect(try await connection.readResponse().status == 413)
        connection.close()
        let echo = try await post(port: deploy.port, "/echo", contentType: "text/plain", body: Array("still here".utf8))
        #expect(echo.text == "10:still here")

        #expect(await server.stop() == 0)
    }

    func post(port: Int, _ target: String, contentType: String, body: [UInt8]) async throws -> TestResponse {
        try await httpRequest(port: port, "POST", target, ["Content-Type": contentType], body: body)
    }
}
