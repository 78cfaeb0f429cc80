import Foundation
import Testing

/// Tornado's load-balancer deployment for real: `Docs/deploy/nginx.conf` as it is (paths and
/// ports filled in), real nginx, four FriendFeed processes with `--xheaders`, and curl as the
/// client, from another loopback address than nginx's.
@Suite struct NginxProxyTests {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One request with curl (`arguments` before the URL); headers lowercased by name.
    static func curl(_ arguments: [String], _ url: String) async throws -> Answer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-i", "--max-time", "60"] + arguments + [url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        let text = String(decoding: data, as: UTF8.self)
        // The last response (an interim 100 Continue comes first for large bodies).
        let responses = text.components(separatedBy: "\r\n\r\n")
        var index = 0
        while index + 1 < responses.count, responses[index].hasPrefix("HTTP/1.1 100") { index += 1 }
        let head = responses.indices.contains(index) ? responses[index] : ""
        let lines = head.split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return Answer(
            status: status, headers: headers, body: responses.dropFirst(index + 1).joined(separator: "\r\n\r\n"))
    }

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
        let whoami = try await Self.curl(["--interface", "127.0.0.2"], base + "/whoami")
        #expect(whoami.status == 200 && whoami.body.contains(#""remote_ip":"127.0.0.2""#), "\(whoami)")
        #expect(whoami.headers["server"]?.hasPrefix("Gale") == true)

        // Static files come from nginx, cached for good when versioned, gzipped when large text.
        let versioned = try await Self.curl(["-H", "Accept-Encoding: gzip"], base + "/static/notes.txt?v=1")
        #expect(versioned.status == 200 && versioned.headers["server"]?.hasPrefix("nginx") == true, "\(versioned)")
        #expect(versioned.headers["cache-control"] == "max-age=315360000")
        #expect(versioned.headers["content-encoding"] == "gzip")
        let robots = try await Self.curl([], base + "/robots.txt")
        #expect(robots.status == 200 && robots.headers["server"]?.hasPrefix("nginx") == true)
        let robotsFile = staticDirectory.appendingPathComponent("robots.txt")
        #expect(robots.body == (try String(contentsOf: robotsFile, encoding: .utf8)))

        // Requests spread over the four backends.
        var pids: Set<String> = []
        for _ in 0..<24 {
            let answer = try await Self.curl([], base + "/whoami")
            if let pid = answer.body.firstMatch(of: /"pid":(\d+)/)?.1 { pids.insert(String(pid)) }
        }
        #expect(pids == Set(backends.map { String($0.pid) }))

        // One backend killed mid-run: nginx retries another, the client sees no error.
        var statuses: [Int] = []
        for index in 0..<24 {
            if index == 6 { kill(backends[1].pid, SIGKILL) }
            statuses.append(try await Self.curl([], base + "/whoami").status)
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")

        // Uploads: 50 MiB reaches the app (which refuses it: no XSRF token), 51 MiB is refused by
        // nginx before any backend sees it.
        for (size, refusedByNginx) in [(50 << 20, false), (51 << 20, true)] {
            let file = deploy.directory.appendingPathComponent("upload-\(size)")
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: UInt64(size))
            try handle.close()
            let answer = try await Self.curl(["--data-binary", "@" + file.path], base + "/whoami")
            if refusedByNginx {
                #expect(answer.status == 413 && answer.headers["server"]?.hasPrefix("nginx") == true, "\(answer)")
            } else {
                #expect(answer.status == 403 && answer.headers["server"]?.hasPrefix("Gale") == true, "\(answer)")
            }
        }
        #expect(await server.stop() == 0)
        for backend in backends { _ = await backend.stop() }
    }
}
