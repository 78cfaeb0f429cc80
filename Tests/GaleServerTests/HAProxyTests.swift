import Foundation
import Testing

/// `Docs/deploy/haproxy.cfg` as it is (paths and ports filled in), real HAProxy, four
/// FriendFeed processes with `--xheaders`, curl as the client from another loopback address.
@Suite struct HAProxyTests {
    @Test(.timeLimit(.minutes(3))) func haproxyInFrontOfFourGaleProcesses() async throws {
        let haproxy = "/usr/sbin/haproxy"
        try #require(FileManager.default.isExecutableFile(atPath: haproxy), "haproxy is missing: make test installs it")
        let ports = try (0..<4).map { _ in try DeployConfig.freePort() }
        var extra: [String: String] = [:]
        for (index, port) in ports.enumerated() { extra["@BACKEND\(index)@"] = String(port) }
        let deploy = try DeployConfig("haproxy.cfg", extra: extra)
        defer { deploy.remove() }
        let backends = try ports.map { port in
            try ExampleProcess(
                "friendfeed", ["--port", String(port), "--xheaders"],
                environment: ["FRIENDFEED_COOKIE_SECRET": "haproxy-test"])
        }
        for backend in backends { _ = try #require(await backend.servingPort(), "\(backend.printed)") }
        let server = try ExampleProcess(haproxy, ["-f", deploy.path, "-db"])
        try #require(await deploy.waitUntilListening(), "haproxy did not start: \(server.printed)")
        let base = "http://127.0.0.1:\(deploy.port)"

        // The client's own address reaches the app (X-Forwarded-For), not HAProxy's.
        let whoami = try await Balancer.curl(["--interface", "127.0.0.2"], base + "/whoami")
        #expect(whoami.status == 200 && whoami.body.contains(#""remote_ip": "127.0.0.2""#), "\(whoami)")
        // A client's own X-Forwarded-For is a hop HAProxy appends to, not the answer.
        let spoofed = try await Balancer.curl(
            ["--interface", "127.0.0.2", "-H", "X-Forwarded-For: 6.6.6.6"], base + "/whoami")
        #expect(spoofed.body.contains(#""remote_ip": "127.0.0.2""#), "\(spoofed)")

        // Requests spread over the four backends; one killed mid-run costs the client nothing
        // (retries, then health checks take it out).
        try await Balancer.spreadsOverEveryBackend(base, backends)
        try await Balancer.survivesABackendKilledMidRun(base, victim: backends[2])

        // Past 50 MB, HAProxy refuses from the Content-Length.
        let big = try await Balancer.curl(
            ["-X", "POST", "-H", "Content-Length: 52428801", "--data-binary", ""], base + "/whoami")
        #expect(big.status == 413, "\(big)")
        _ = await server.stop()
        for backend in backends { _ = await backend.stop() }
    }
}
