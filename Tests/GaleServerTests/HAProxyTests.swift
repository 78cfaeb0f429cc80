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
        let whoami = try await NginxProxyTests.curl(["--interface", "127.0.0.2"], base + "/whoami")
        #expect(whoami.status == 200 && whoami.body.contains(#""remote_ip":"127.0.0.2""#), "\(whoami)")
        // A client's own X-Forwarded-For is a hop HAProxy appends to, not the answer.
        let spoofed = try await NginxProxyTests.curl(
            ["--interface", "127.0.0.2", "-H", "X-Forwarded-For: 6.6.6.6"], base + "/whoami")
        #expect(spoofed.body.contains(#""remote_ip":"127.0.0.2""#), "\(spoofed)")

        // Requests spread over the four backends.
        var pids: Set<String> = []
        for _ in 0..<24 {
            let answer = try await NginxProxyTests.curl([], base + "/whoami")
            if let pid = answer.body.firstMatch(of: /"pid":(\d+)/)?.1 { pids.insert(String(pid)) }
        }
        #expect(pids == Set(backends.map { String($0.pid) }))

        // One backend killed mid-run: HAProxy retries another, and health checks take it out.
        var statuses: [Int] = []
        for index in 0..<24 {
            if index == 6 { kill(backends[2].pid, SIGKILL) }
            statuses.append(try await NginxProxyTests.curl([], base + "/whoami").status)
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")

        // Past 50 MB, HAProxy refuses from the Content-Length.
        let big = try await NginxProxyTests.curl(
            ["-X", "POST", "-H", "Content-Length: 52428801", "--data-binary", ""], base + "/whoami")
        #expect(big.status == 413, "\(big)")
        _ = await server.stop()
        for backend in backends { _ = await backend.stop() }
    }
}
