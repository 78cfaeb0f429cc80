import Foundation
import GaleTesting
import Testing

/// `Docs/deploy/supervisord.conf` as it is (paths and ports filled in), real supervisord: four
/// FriendFeed processes, one per port; one killed is started again; SIGTERM stops them all.
@Suite struct SupervisordTests {
    @Test(.timeLimit(.minutes(2))) func supervisordRunsOneProcessPerPort() async throws {
        let supervisord = "/usr/bin/supervisord"
        try #require(
            FileManager.default.isExecutableFile(atPath: supervisord), "supervisord is missing: make test installs it")
        let ports = try (0..<4).map { _ in try DeployConfig.freePort() }
        var extra: [String: String] = [:]
        for (index, port) in ports.enumerated() { extra["@BACKEND\(index)@"] = String(port) }
        let deploy = try DeployConfig("supervisord.conf", extra: extra)
        defer { deploy.remove() }
        let server = try ExampleProcess(supervisord, ["-c", deploy.path])

        /// The pid that answers /whoami on `port`, once something does (up to 30 s).
        func answeringPID(_ port: Int) async -> String? {
            for _ in 0..<300 {
                if let answer = try? await httpGet(port: port, "/whoami"), answer.status == 200,
                    let pid = answer.text.firstMatch(of: /"pid": (\d+)/)?.1
                {
                    return String(pid)
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }
        var pids: [String] = []
        for port in ports {
            pids.append(try #require(await answeringPID(port), "port \(port): \(server.printed)"))
        }
        #expect(Set(pids).count == 4)

        // One crashes: supervisord starts it again on its port.
        kill(Int32(pids[1]) ?? 0, SIGKILL)
        var replaced: String?
        for _ in 0..<100 {
            if let pid = await answeringPID(ports[1]), pid != pids[1] {
                replaced = pid
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(replaced != nil, "\(server.printed)")

        // SIGTERM to supervisord stops every process (each finishing what it was doing).
        #expect(await server.stop(timeout: .seconds(60)) == 0, "\(server.printed)")
        for port in ports {
            await #expect(throws: (any Error).self) { try await httpGet(port: port, "/whoami") }
        }
    }
}
