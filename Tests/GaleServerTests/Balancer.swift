import Foundation
import GaleTesting
import Testing

/// What the load-balancer tests share: curl as the client, and the checks every balancer in
/// front of FriendFeed processes must pass.
enum Balancer {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One request with curl (`arguments` before the URL), run in the network namespace
    /// `namespace` when given (a `NetworkLab` host); headers lowercased by name.
    static func curl(_ arguments: [String], _ url: String, namespace: String? = nil) async throws -> Answer {
        let limit = Int(60 * TestTimeouts.scale)
        let command = ["/usr/bin/curl", "-s", "-i", "--max-time", String(limit)] + arguments + [url]
        let text = try await ChildProcess(
            namespace == nil ? command[0] : "/usr/sbin/ip",
            namespace.map { ["netns", "exec", $0] + command } ?? Array(command.dropFirst())
        ).run().text
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

    /// Requests through the balancer reach every backend.
    static func spreadsOverEveryBackend(
        _ base: String, _ backends: [ExampleProcess], namespace: String? = nil
    ) async throws {
        var pids: Set<String> = []
        for _ in 0..<24 {
            let answer = try await curl([], base + "/whoami", namespace: namespace)
            if let pid = answer.body.firstMatch(of: /"pid": (\d+)/)?.1 { pids.insert(String(pid)) }
        }
        #expect(pids == Set(backends.map { String($0.pid) }))
    }

    /// `victim` is killed with SIGKILL a quarter into a run of requests: every one succeeds.
    static func survivesABackendKilledMidRun(_ base: String, victim: ExampleProcess) async throws {
        var statuses: [Int] = []
        for index in 0..<24 {
            if index == 6 { kill(victim.pid, SIGKILL) }
            statuses.append(try await curl([], base + "/whoami").status)
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
    }
}
