import Foundation
import GaleTesting

/// A client asking `url` again and again, each time on a new connection, while a test restarts
/// what answers: curl in a shell loop, a process of its own, so how busy the test process is
/// cannot make it late. It runs until `finish()` (at most 60 s).
final class ClientLoop: Sendable {
    private let running: Task<ChildProcess.Outcome, any Error>
    private let stopFile: String

    init(_ url: String) {
        let stopFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gale-loop-\(UUID().uuidString)"
        ).path
        self.stopFile = stopFile
        // curl prints the status, or curl-N (its exit code) for a request that failed.
        let loop = ChildProcess(
            "/bin/bash",
            [
                "-c",
                "end=$((SECONDS + 60)); while [ ! -e \(stopFile) ] && (( SECONDS < end )); do "
                    + "curl -s -o /dev/null --max-time 20 -w '%{http_code}\\n' \(url) || echo curl-$?; done",
            ])
        running = Task { try await loop.run() }
    }

    /// Stops the loop and counts its answers by status (`"200"`, `"curl-7"`, ...).
    func finish() async throws -> [String: Int] {
        _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: stopFile) }
        var counts: [String: Int] = [:]
        for code in try await running.value.text.split(separator: "\n") { counts[String(code), default: 0] += 1 }
        return counts
    }
}
