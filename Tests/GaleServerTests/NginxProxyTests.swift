import Foundation
import Testing

/// Tornado's load-balancer deployment for real: `Docs/deploy/nginx.conf` as it is (paths and
/// ports filled in), real nginx, four FriendFeed processes with `--xheaders`, and curl as the
/// client, from another loopback address than nginx's.
@Suite struct NginxProxyTests {
    @Test(.timeLimit(.minutes(3))) func nginxInFrontOfFourGaleProcesses() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: make test installs it")
        let ports = try (0..<4).map { _ in try DeployConfig.freePort() }
        // The static root is the scratch directory (filled in below, once it exists): FriendFeed's
        // files, and a large text file.
        var extra = ["@STATIC_ROOT@": "@PREFIX@"]
        for (index, port) in ports.enumerated() { extra["@BACKEND\(index)@"] = String(port) }
        let deploy = try DeployConfig("nginx.conf", extra: extra)
        defer { deploy.remove() }
        let config = try String(contentsOfFile: deploy.path, encoding: .utf8)
            .replacingOccurrences(of: "@PREFIX@", with: deploy.directory.path)
        try config.write(toFile: deploy.path, atomically: true, encoding: .utf8)
        let staticDirectory = deploy.directory.appendingPathComponent("static")
        try FileManager.default.copyItem(
            at: DeployConfig.repository.appendingPathComponent("Examples/FriendFeed/static"), to: staticDirectory)
        let notes = String(repeating: "Static files and aggressive file caching. ", count: 100)
        try notes.write(to: staticDirectory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)

        let backends = try ports.map { port in
            try ExampleProcess(
                "friendfeed", ["--port", String(port), "--xheaders", "--static-path", staticDirectory.path],
                environment: ["FRIENDFEED_COOKIE_SECRET": "nginx-test"])
        }
        for backend in backends { _ = try #require(await backend.servingPort(), "\(backend.printed)") }
        let server = try ExampleProcess(
            nginx, ["-c", deploy.path, "-p", deploy.directory.path + "/", "-e", deploy.directory.path + "/error.log"])
        try #require(await deploy.waitUntilListening(), "nginx did not start: \(server.printed)")
        let base = "http://127.0.0.1:\(deploy.port)"

        // The client's own address reaches the app (X-Real-IP), not nginx's.
        let whoami = try await Balancer.curl(["--interface", "127.0.0.2"], base + "/whoami")
        #expect(whoami.status == 200 && whoami.body.contains(#""remote_ip": "127.0.0.2""#), "\(whoami)")
        #expect(whoami.headers["server"]?.hasPrefix("Gale") == true)

        // Operators' pages: not through nginx; from a backend's own port, its metrics for Prometheus.
        let hidden = try await Balancer.curl([], base + "/_metrics")
        #expect(hidden.status == 404 && hidden.headers["server"]?.hasPrefix("nginx") == true, "\(hidden)")
        let metrics = try await Balancer.curl([], "http://127.0.0.1:\(ports[0])/_metrics")
        #expect(
            metrics.status == 200 && metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(
            metrics.body.contains(#"http_server_requests_in_flight{method="GET",route="/_metrics"} 1"#), "\(metrics)")

        // Static files come from nginx, cached for good when versioned, gzipped when large text.
        let versioned = try await Balancer.curl(["-H", "Accept-Encoding: gzip"], base + "/static/notes.txt?v=1")
        #expect(versioned.status == 200 && versioned.headers["server"]?.hasPrefix("nginx") == true, "\(versioned)")
        #expect(versioned.headers["cache-control"] == "max-age=315360000")
        #expect(versioned.headers["content-encoding"] == "gzip")
        let robots = try await Balancer.curl([], base + "/robots.txt")
        #expect(robots.status == 200 && robots.headers["server"]?.hasPrefix("nginx") == true)
        let robotsFile = staticDirectory.appendingPathComponent("robots.txt")
        #expect(robots.body == (try String(contentsOf: robotsFile, encoding: .utf8)))

        // Requests spread over the four backends; one killed mid-run costs the client nothing
        // (proxy_next_upstream error).
        try await Balancer.spreadsOverEveryBackend(base, backends)
        try await Balancer.survivesABackendKilledMidRun(base, victim: backends[1])

        // Uploads: 50 MiB reaches the app (which refuses it: no XSRF token), 51 MiB is refused by
        // nginx before any backend sees it.
        for (size, refusedByNginx) in [(50 << 20, false), (51 << 20, true)] {
            let file = deploy.directory.appendingPathComponent("upload-\(size)")
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: UInt64(size))
            try handle.close()
            let answer = try await Balancer.curl(["--data-binary", "@" + file.path], base + "/whoami")
            if refusedByNginx {
                #expect(answer.status == 413 && answer.headers["server"]?.hasPrefix("nginx") == true, "\(answer)")
            } else {
                #expect(answer.status == 403 && answer.headers["server"]?.hasPrefix("Gale") == true, "\(answer)")
            }
        }
        #expect(await server.stop() == 0)
        for backend in backends { _ = await backend.stop() }
    }

    /// `friendfeed --processes 4` behind `nginx.conf` with its upstream cut to one `server`
    /// line, as the file's header says: the four workers share the port, and neither a worker
    /// killed with SIGKILL nor SIGHUP's rolling restart costs a client through nginx a request.
    @Test(.timeLimit(.minutes(3))) func nginxInFrontOfOneServerWithFourProcesses() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: make test installs it")
        let port = try DeployConfig.freePort()
        let deploy = try DeployConfig("nginx.conf", extra: ["@STATIC_ROOT@": "@PREFIX@", "@BACKEND0@": String(port)])
        defer { deploy.remove() }
        let config = try String(contentsOfFile: deploy.path, encoding: .utf8)
            .replacingOccurrences(of: "@PREFIX@", with: deploy.directory.path)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("@BACKEND") }.joined(separator: "\n")
        #expect(config.components(separatedBy: "server 127.0.0.1:").count == 2, "one upstream server line")
        try config.write(toFile: deploy.path, atomically: true, encoding: .utf8)

        let backend = try ExampleProcess(
            "friendfeed", ["--port", String(port), "--processes", "4", "--xheaders"],
            environment: ["FRIENDFEED_COOKIE_SECRET": "nginx-test"])
        _ = try #require(await backend.servingPort(), "\(backend.printed)")
        let workers = await MultiProcessTests.waitForWorkers(of: backend.pid) { $0.count == 4 }
        #expect(workers.keys.sorted() == [0, 1, 2, 3])
        let server = try ExampleProcess(
            nginx, ["-c", deploy.path, "-p", deploy.directory.path + "/", "-e", deploy.directory.path + "/error.log"])
        try #require(await deploy.waitUntilListening(), "nginx did not start: \(server.printed)")
        let base = "http://127.0.0.1:\(deploy.port)"

        // The client's address, from every worker.
        var tasks: Set<String> = []
        for _ in 0..<40 {
            let answer = try await Balancer.curl(["--interface", "127.0.0.2"], base + "/whoami")
            #expect(answer.status == 200 && answer.body.contains(#""remote_ip": "127.0.0.2""#), "\(answer)")
            if let task = answer.body.firstMatch(of: /"task_id": (\d+)/)?.1 { tasks.insert(String(task)) }
        }
        #expect(tasks == ["0", "1", "2", "3"])

        // A worker killed between requests: its socket's queue waits for the replacement.
        let victim = try #require(workers[2])
        kill(victim, SIGKILL)
        var statuses: [Int] = []
        for _ in 0..<24 { statuses.append(try await Balancer.curl([], base + "/whoami").status) }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses) \(backend.printed)")

        // A rolling restart under a client loop.
        let client = ClientLoop(base + "/whoami")
        try await Task.sleep(for: .milliseconds(300))
        kill(backend.pid, SIGHUP)
        #expect(await backend.waitForOutput(containing: "rolling restart done", timeout: .seconds(60)))
        let counts = try await client.finish()
        let errors = (try? String(contentsOfFile: deploy.directory.path + "/error.log", encoding: .utf8)) ?? ""
        #expect(Set(counts.keys) == ["200"], "\(counts)\nnginx: \(errors)\nGale: \(backend.printed.suffix(3000))")
        let replaced = MultiProcessTests.workers(of: backend.pid)
        #expect(replaced.count == 4 && Set(replaced.values).isDisjoint(with: workers.values))

        #expect(await server.stop() == 0)
        #expect(await backend.stop() == 0)
    }
}
