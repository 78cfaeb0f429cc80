import Foundation
import GaleTesting
import Synchronization

/// Runs one of the package's example binaries as a real process, for tests of the examples
/// exactly as users start them. The binary sits next to the test bundle in the build folder.
final class ExampleProcess: Sendable {
    private let process: Process
    private let output = OutputBuffer()

    /// What the process printed, shared with the pipe's reader thread.
    private final class OutputBuffer: Sendable {
        let text = Mutex("")
        /// Set when the pipe reached its end: everything the process wrote is in `text`.
        let ended = Mutex(false)
    }

    /// The build folder holding the test bundle and the example products.
    static var binDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Starts `name` (an example product, or an absolute path) with `arguments` (in `directory`, with `environment` added to this
    /// process's); stdout and stderr are collected together.
    init(_ name: String, _ arguments: [String], directory: URL? = nil, environment: [String: String] = [:]) throws {
        process = Process()
        if name.hasPrefix("/") {
            // Another program (nginx, lighttpd): started through a shim that clears the signal
            // mask, because this test process's threads block signals and a child inherits the
            // mask; lighttpd, unlike nginx and Gale, would then never see its SIGTERM.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments =
                [
                    "-c",
                    "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                    name,
                ] + arguments
        } else {
            process.executableURL = Self.binDirectory.appendingPathComponent(name)
            process.arguments = arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                output.ended.withLock { $0 = true }
                handle.readabilityHandler = nil
            } else {
                output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
        try process.run()
    }

    /// The process's ID.
    var pid: Int32 { process.processIdentifier }

    /// The process's resident memory (`VmRSS`), in bytes.
    var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// Everything the process printed so far.
    var printed: String { output.text.withLock { $0 } }

    /// Waits (up to `timeout`) until the output contains `text`.
    func waitForOutput(containing text: String, timeout: Duration = .seconds(20)) async -> Bool {
        let deadline = ContinuousClock.now + timeout.scaledForTests
        while ContinuousClock.now < deadline {
            if printed.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return printed.contains(text)
    }

    /// The port from the server's "serving on http://ADDRESS:PORT/" (or https) line.
    func servingPort() async -> Int? {
        guard await waitForOutput(containing: "serving on http") else { return nil }
        let line = printed.split(separator: "\n").first { $0.contains("serving on http") } ?? ""
        let afterScheme = line.split(separator: "://").last ?? ""
        return Int(afterScheme.split(separator: ":").last?.split(separator: "/").first ?? "")
    }

    /// Sends `signal` and waits (up to `timeout`) for the exit status; `nil` if still running,
    /// in which case the process is killed.
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(15)) async -> Int32? {
        kill(process.processIdentifier, signal)
        let deadline = ContinuousClock.now + timeout.scaledForTests
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        // The pipe's last bytes may still be on their way to `printed`: wait for its end.
        let drained = ContinuousClock.now + .seconds(5)
        while !output.ended.withLock({ $0 }) && ContinuousClock.now < drained {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
