import Foundation

/// A client asking `url` again and again, each time on a new connection, while a test restarts
/// what answers: curl in a shell loop, a process of its own, so how busy the test process is
/// cannot make it late. It runs until `finish()` (at most 60 s).
final class ClientLoop: Sendable {
    private let process: Process
    private let output: Pipe
    private let stopFile: String

    init(_ url: String) throws {
        stopFile = FileManager.default.temporaryDirectory.appendingPathComponent("gale-loop-\(UUID().uuidString)").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        // curl prints the status, or curl-N (its exit code) for a request that failed.
        process.arguments = [
            "-c",
            "end=$((SECONDS + 60)); while [ ! -e \(stopFile) ] && (( SECONDS < end )); do "
                + "curl -s -o /dev/null --max-time 20 -w '%{http_code}\\n' \(url) || echo curl-$?; done",
        ]
        output = Pipe()
        process.standardOutput = output
        try process.run()
    }

    /// Stops the loop and counts its answers by status (`"200"`, `"curl-7"`, ...).
    func finish() async throws -> [String: Int] {
        _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: stopFile) }
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }  // not blocking a thread
        let codes = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        var counts: [String: Int] = [:]
        for code in codes.split(separator: "\n") { counts[String(code), default: 0] += 1 }
        return counts
    }
}
