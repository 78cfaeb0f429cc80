import Foundation
import Testing

/// Past one machine: a client, an edge proxy, the balancer and two Gale backend hosts, each a
/// network namespace with its own address (`NetworkLab`). The balancer runs
/// `Docs/deploy/haproxy.cfg` with its addresses moved to the LAN; each backend host runs two
/// FriendFeed processes with `--xheaders`, trusting the proxies by address on one host and by
/// network on the other.
@Suite(.serialized) struct NetworkNamespaceTests {
    /// The edge in front of the balancer, as a CDN node or TLS terminator: it adds a second
    /// `X-Forwarded-For` hop.
    static func edgeConfig(prefix: String, listen: String, balancer: String) -> String {
        """
        global
            pidfile \(prefix)/edge.pid
        defaults
            mode http
            timeout connect 5s
            timeout client 60s
            timeout server 60s
            option forwardfor
        frontend edge
            bind \(listen)
            default_backend balancer
        backend balancer
            server balancer \(balancer)

        """
    }

    @Test(
        .enabled(if: NetworkLab.isAvailable, "network namespaces cannot be made here: it needs root or CAP_NET_ADMIN"),
        .timeLimit(.minutes(3)))
    func balancerAndBackendsOnSeparateHosts() async throws {
        let lab = try await NetworkLab(hosts: [
            ("client", 10), ("edge", 20), ("balancer", 30), ("backend-a", 41), ("backend-b", 42),
        ])
        defer { lab.remove() }
        let client = lab.namespace("client")
        let clientIP = lab.address("client")

        // Two FriendFeed processes on each backend host. Host a trusts the edge and the balancer
        // by address, host b by the network they share (10.77.0.16-31, not the client's .10).
        let trust = [
            "backend-a": [
                "--trusted-downstream", lab.address("balancer"), "--trusted-downstream", lab.address("edge"),
            ],
            "backend-b": ["--trusted-downstream", "10.77.0.16/28"],
        ]
        var backends: [String: [ExampleProcess]] = [:]
        for host in ["backend-a", "backend-b"] {
            for port in [8000, 8001] {
                let arguments =
                    ["--address", lab.address(host), "--port", String(port), "--xheaders"] + (trust[host] ?? [])
                let process = try lab.start(on: host, "friendfeed", arguments + ["--cookie-secret", "lab"])
                backends[host, default: []].append(process)
            }
        }
        for process in backends.values.joined() { _ = try #require(await process.servingPort(), "\(process.printed)") }

        // The balancer: Docs/deploy/haproxy.cfg, listening on its LAN address, servers on the hosts.
        let deploy = try DeployConfig(
            "haproxy.cfg",
            extra: ["@BACKEND0@": "8000", "@BACKEND1@": "8001", "@BACKEND2@": "8000", "@BACKEND3@": "8001"])
        defer { deploy.remove() }
        var config = try String(contentsOfFile: deploy.path, encoding: .utf8)
            .replacingOccurrences(of: "bind 127.0.0.1:", with: "bind \(lab.address("balancer")):")
        for (index, host) in ["backend-a", "backend-a", "backend-b", "backend-b"].enumerated() {
            config = config.replacingOccurrences(
                of: "server gale\(index) 127.0.0.1:", with: "server gale\(index) \(lab.address(host)):")
        }
        #expect(!config.contains("127.0.0.1"), "every address moved to the LAN")
        try config.write(toFile: deploy.path, atomically: true, encoding: .utf8)
        let balancerURL = "http://\(lab.address("balancer")):\(deploy.port)"
        let balancer = try lab.start(on: "balancer", "/usr/sbin/haproxy", ["-f", deploy.path, "-db"])

        let edgeConfig = deploy.directory.appendingPathComponent("edge.cfg")
        try Self.edgeConfig(
            prefix: deploy.directory.path, listen: "\(lab.address("edge")):80",
            balancer: "\(lab.address("balancer")):\(deploy.port)"
        ).write(to: edgeConfig, atomically: true, encoding: .utf8)
        let edge = try lab.start(on: "edge", "/usr/sbin/haproxy", ["-f", edgeConfig.path, "-db"])
        let edgeURL = "http://\(lab.address("edge"))"
        try #require(
            await Self.answers(edgeURL + "/whoami", from: client),
            "balancer: \(balancer.printed)\nedge: \(edge.printed)")

        // Through the balancer: the client's address, from every backend on both hosts.
        let all = Array(backends.values.joined())
        try await Balancer.spreadsOverEveryBackend(balancerURL, all, namespace: client)
        for _ in 0..<4 {
            let answer = try await Balancer.curl([], balancerURL + "/whoami", namespace: client)
            #expect(answer.body.contains(#""remote_ip": "\#(clientIP)""#), "\(answer)")
        }

        // Through the edge and the balancer: two hops, both trusted, skipped from the right;
        // the client's own X-Forwarded-For entry is further left and loses.
        var hosts: Set<String> = []
        for _ in 0..<8 {
            let answer = try await Balancer.curl(
                ["-H", "X-Forwarded-For: 6.6.6.6"], edgeURL + "/whoami", namespace: client)
            #expect(answer.status == 200 && answer.body.contains(#""remote_ip": "\#(clientIP)""#), "\(answer)")
            if let host = Self.host(answering: answer, in: backends) { hosts.insert(host) }
        }
        #expect(hosts == ["backend-a", "backend-b"])

        // Straight to a backend, bypassing the balancer: the client is no trusted proxy, so its
        // headers are ignored. From the balancer's host they count.
        for host in ["backend-a", "backend-b"] {
            let url = "http://\(lab.address(host)):8000/whoami"
            let spoof = ["-H", "X-Real-Ip: 6.6.6.6", "-H", "X-Forwarded-For: 6.6.6.6", "-H", "X-Scheme: https"]
            let direct = try await Balancer.curl(spoof, url, namespace: client)
            #expect(direct.body.contains(#""remote_ip": "\#(clientIP)""#), "\(host): \(direct)")
            #expect(direct.body.contains(#""protocol": "http""#), "\(host): \(direct)")
            let trusted = try await Balancer.curl(spoof, url, namespace: lab.namespace("balancer"))
            #expect(trusted.body.contains(#""remote_ip": "6.6.6.6""#), "\(host): \(trusted)")
            #expect(trusted.body.contains(#""protocol": "https""#), "\(host): \(trusted)")
        }

        // Host b goes away (its link down: no refusal, no reset, just silence). Every request
        // still succeeds, answered by host a; once b is back, the health checks return it.
        try await lab.unplug("backend-b")
        var statuses: [Int] = []
        hosts = []
        for _ in 0..<12 {
            let answer = try await Balancer.curl([], balancerURL + "/whoami", namespace: client)
            statuses.append(answer.status)
            if let host = Self.host(answering: answer, in: backends) { hosts.insert(host) }
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(hosts == ["backend-a"])
        try await lab.plugIn("backend-b")
        var back = false
        for _ in 0..<40 where !back {
            let answer = try await Balancer.curl([], balancerURL + "/whoami", namespace: client)
            back = Self.host(answering: answer, in: backends) == "backend-b"
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(back, "backend-b did not return to the rotation")

        _ = await edge.stop()
        _ = await balancer.stop()
        for process in backends.values.joined() { #expect(await process.stop() == 0, "\(process.printed)") }
    }

    /// Which backend host answered, by the pid in FriendFeed's `/whoami`.
    static func host(answering answer: Balancer.Answer, in backends: [String: [ExampleProcess]]) -> String? {
        guard let pid = answer.body.firstMatch(of: /"pid": (\d+)/)?.1 else { return nil }
        return backends.first { $0.value.contains { String($0.pid) == pid } }?.key
    }

    /// Waits (up to 10 s) until `url` answers 200 from `namespace`.
    static func answers(_ url: String, from namespace: String) async -> Bool {
        for _ in 0..<40 {
            if (try? await Balancer.curl(["--max-time", "2"], url, namespace: namespace))?.status == 200 {
                return true
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
