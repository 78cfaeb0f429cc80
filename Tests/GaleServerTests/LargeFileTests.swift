import Foundation
import Testing

/// A 1 GiB file to 10 clients at once, through the real FriendFeed process: the file leaves
/// the core as a file body and goes out with sendfile, so the server's memory stays flat.
@Suite struct LargeFileTests {
    @Test(.timeLimit(.minutes(2)))
    func oneGibibyteToTenClientsKeepsMemoryFlat() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-large-\(UUID().uuidString)")
        let files = directory.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let size = 1 << 30
        // Sparse: a gibibyte of zeros without a gibibyte of disk.
        let created = FileManager.default.createFile(
            atPath: files.appendingPathComponent("huge.bin").path, contents: nil)
        #expect(created)
        let handle = try FileHandle(forWritingTo: files.appendingPathComponent("huge.bin"))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()

        let server = try ExampleProcess(
            "friendfeed", ["--port", "0", "--static-path", files.path], directory: directory,
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        // Warm: hash the file once (the ETag) before measuring.
        let warm = try Self.run(
            "/usr/bin/curl", ["-s", "-o", "/dev/null", "-r", "0-0", "http://127.0.0.1:\(port)/static/huge.bin"])
        // Polled, not `waitUntilExit()`: hashing the gibibyte takes seconds, and blocking one of
        // the few cooperative threads that long starves the tests running beside this one.
        while warm.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let idle = try #require(server.residentBytes)

        let clients = try (0..<10).map { _ in
            try Self.run(
                "/usr/bin/curl",
                ["-s", "-o", "/dev/null", "-w", "%{size_download}", "http://127.0.0.1:\(port)/static/huge.bin"])
        }
        var peak = idle
        while clients.contains(where: \.isRunning) {
            peak = max(peak, server.residentBytes ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        for client in clients {
            #expect(client.terminationStatus == 0)
            let output = (client.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
            #expect(String(decoding: output, as: UTF8.self) == String(size))
        }
        print("1 GiB x 10 clients: server RSS idle \(idle >> 20) MiB, peak \(peak >> 20) MiB")
        // 10 GiB went out; the server grew by less than 64 MiB.
        #expect(peak - idle < 64 << 20, "idle \(idle >> 20) MiB, peak \(peak >> 20) MiB")
        #expect(await server.stop() == 0)
    }

    static func run(_ path: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = Pipe()
        try process.run()
        return process
    }
}
