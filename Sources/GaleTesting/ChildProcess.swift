import Foundation
import Synchronization

/// A program run to its end, for tests: `curl`, `openssl`, `python3`, `ip`. It runs on threads
/// of its own (``DedicatedThread``), so awaiting it costs the other tests nothing.
package struct ChildProcess: Sendable {
    /// What the program did: its exit status and what it printed.
    package struct Outcome: Sendable {
        /// The exit status, or the signal's number when a signal ended it.
        package var status: Int32
        /// Standard output; standard error too when the command was made with `mergingErrors`.
        package var output: Data
        /// Standard error, unless merged into `output`.
        package var errors: Data

        /// `output` as UTF-8 text.
        package var text: String { String(decoding: output, as: UTF8.self) }
        /// `errors` as UTF-8 text.
        package var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    /// A program that exited non-zero: its command line and everything it printed.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String

        package init(description: String) { self.description = description }
    }

    package var executable: String
    package var arguments: [String]
    /// Added to this process's environment, or the whole environment with
    /// `replacingEnvironment`.
    package var environment: [String: String] = [:]
    /// `environment` is all the program sees, as a CGI host passes its variables.
    package var replacingEnvironment = false
    package var directory: String?
    /// Written to the program's standard input, which is then closed.
    package var input: Data?
    /// Standard error goes to `output`, in order with standard output.
    package var mergingErrors = false
    /// The program is killed (SIGKILL) when it runs longer.
    package var timeout: Duration = .seconds(120)

    package init(_ executable: String, _ arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// Runs `executable` with `arguments` to its end; throws ``Failure`` with what it printed
    /// when it exits non-zero, and returns standard output and error together otherwise.
    @discardableResult
    package static func check(_ executable: String, _ arguments: [String]) async throws -> String {
        var command = ChildProcess(executable, arguments)
        command.mergingErrors = true
        let outcome = try await command.run()
        guard outcome.status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")): \(outcome.text)")
        }
        return outcome.text
    }

    /// Runs the program to its end, on threads of its own.
    package func run() async throws -> Outcome {
        try await start().finish()
    }

    /// Runs the program to its end, blocking the calling thread: only for where no `await` can
    /// be, a `defer`'s clean-up. Everything else calls ``run()``.
    package func runBlocking() throws -> Outcome {
        try start().finishBlocking()
    }

    /// Starts the program and returns at once; its output is read on threads of its own.
    package func start() throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if replacingEnvironment {
            process.environment = environment
        } else if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = mergingErrors ? output : errors
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        return Running(
            process: process, output: output, errors: mergingErrors ? nil : errors,
            stdin: stdin.flatMap { pipe in input.map { (pipe, $0) } }, timeout: timeout)
    }

    /// A started program.
    package final class Running: Sendable {
        private let process: Process
        private let done = DispatchGroup()
        private let printed = Collected()
        private let complained = Collected()
        private let overtime: Task<Void, Never>

        fileprivate init(process: Process, output: Pipe, errors: Pipe?, stdin: (Pipe, Data)?, timeout: Duration) {
            self.process = process
            overtime = Task {
                guard (try? await Task.sleep(for: timeout)) != nil, process.isRunning else { return }
                // SIGKILL: a child inherits the test process's blocked signals, SIGTERM among them.
                kill(process.processIdentifier, SIGKILL)
            }
            // Each pipe on a thread of its own, so that none fills while another is waited on.
            let (done, printed, complained) = (done, printed, complained)
            if let (pipe, input) = stdin {
                done.enter()
                Thread.detachNewThread {
                    try? pipe.fileHandleForWriting.write(contentsOf: input)
                    try? pipe.fileHandleForWriting.close()
                    done.leave()
                }
            }
            done.enter()
            Thread.detachNewThread {
                printed.data.withLock { $0 = output.fileHandleForReading.readDataToEndOfFile() }
                done.leave()
            }
            if let errors {
                done.enter()
                Thread.detachNewThread {
                    complained.data.withLock { $0 = errors.fileHandleForReading.readDataToEndOfFile() }
                    done.leave()
                }
            }
        }

        /// Whether the program has not exited yet.
        package var isRunning: Bool { process.isRunning }

        /// Waits, on a thread of its own, for the program's end and all it printed.
        package func finish() async throws -> Outcome {
            try await DedicatedThread.run { self.finishBlocking() }
        }

        /// Waits for the program's end and all it printed, blocking the calling thread.
        package func finishBlocking() -> Outcome {
            done.wait()
            process.waitUntilExit()
            overtime.cancel()
            return Outcome(
                status: process.terminationStatus, output: printed.data.withLock { $0 },
                errors: complained.data.withLock { $0 })
        }
    }

    private final class Collected: Sendable {
        let data = Mutex(Data())
    }
}
