import Foundation
import GaleTesting
import Testing

/// The tests' way to run programs: what the program printed and how it ended, and no thread of
/// the cooperative pool held while it runs.
@Suite struct ChildProcessTests {
    @Test func outputInputStatusAndErrors() async throws {
        var cat = ChildProcess("/bin/cat", [])
        cat.input = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)  // more than a pipe holds
        let echoed = try await cat.run()
        #expect(echoed.status == 0)
        #expect(echoed.output.count == 1 << 20)

        let failed = try await ChildProcess("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]).run()
        #expect(failed.status == 3)
        #expect(failed.text == "out\n")
        #expect(failed.errorText == "err\n")

        await #expect(throws: ChildProcess.Failure.self) {
            try await ChildProcess.check("/bin/sh", ["-c", "echo why; exit 1"])
        }
    }

    @Test func aProgramPastItsTimeoutIsKilled() async throws {
        var sleeper = ChildProcess("/bin/sleep", ["30"])
        sleeper.timeout = .milliseconds(200)
        let started = ContinuousClock.now
        let outcome = try await sleeper.run()
        #expect(outcome.status == SIGKILL)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    /// More children awaited at once than the pool has threads, and a task on the pool still
    /// runs while every one of them is running: they wait for a file the test makes only after
    /// that task ran (60 s at most). Were each wait to hold a pool thread, the task could run
    /// only once the children gave up.
    @Test func awaitingChildrenLeavesThePoolFree() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let release = directory.path + "/release"
        let count = ProcessInfo.processInfo.activeProcessorCount + 4
        let script = "for i in $(seq 1200); do [ -e \(release) ] && exit 0; sleep 0.05; done; exit 1"
        let children = try (0..<count).map { _ in try ChildProcess("/bin/sh", ["-c", script]).start() }
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for child in children { group.addTask { try await child.finish().status } }
            let probe = await Task.detached { 42 }.value
            #expect(probe == 42)
            let stillRunning = children.filter(\.isRunning).count
            #expect(stillRunning == count, "the probe ran only after the children ended")
            #expect(FileManager.default.createFile(atPath: release, contents: nil))
            for try await status in group { #expect(status == 0) }
        }
    }
}
