import Gale
import GaleServer
import GaleTesting
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

#if canImport(Dispatch)
    import Dispatch
#endif

/// Blocks a thread until its gate opens: on NIO's thread pool through `runInExecutor`.
final class BlockingHandler: AsyncRequestHandler, InitializableHandler {
    var gate: BlockingGate?
    func initialize(_ arguments: BlockingGate) { gate = arguments }

    override func get() async throws {
        guard let gate else { return }
        let opened = try await ioLoop.runInExecutor { gate.block() }
        try write(opened ? "unblocked" : "timed out")
    }
}

/// A semaphore a blocking call waits on, and a flag saying it has started waiting.
final class BlockingGate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    let entered = Mutex(false)

    func block() -> Bool {
        entered.withLock { $0 = true }
        return semaphore.wait(timeout: .now() + 10) == .success
    }

    func open() { semaphore.signal() }
}

@Suite struct IOLoopTests {
    @Test func callAtAndSpawnCallback() async throws {
        let fired = Meter()
        let start = IOLoop.current.time
        IOLoop.current.callAt(start + .milliseconds(50)) {
            fired.note("at \(IOLoop.current.time - start >= .milliseconds(50))")
        }
        IOLoop.current.spawnCallback {
            try await Task.sleep(for: .milliseconds(10))
            fired.note("spawned")
            throw HTTPError(500)  // logged, not raised
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while fired.notes.count < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(Set(fired.notes) == ["spawned", "at true"])
    }

    @Test func periodicCallbackSkipsTicksInsteadOfPilingUp() async throws {
        let counts = Mutex((running: 0, ticks: 0, overlapped: false))
        let periodic = PeriodicCallback(every: .milliseconds(20)) {
            counts.withLock {
                $0.running += 1
                $0.ticks += 1
                if $0.running > 1 { $0.overlapped = true }
            }
            try await Task.sleep(for: .milliseconds(70))  // longer than the interval
            counts.withLock { $0.running -= 1 }
        }
        #expect(!periodic.isRunning)
        let started = ContinuousClock.now
        periodic.start()
        #expect(periodic.isRunning)
        try await Task.sleep(for: .milliseconds(500))
        periodic.stop()
        let elapsed = ContinuousClock.now - started
        let (ticks, overlapped) = counts.withLock { ($0.ticks, $0.overlapped) }
        // Calls of 70 ms every 20 ms: one per 70 ms at most, never two at once (without
        // skipping, 500 ms would queue 25).
        #expect(ticks >= 1 && ticks <= Int(elapsed / .milliseconds(70)) + 1, "\(ticks) ticks in \(elapsed)")
        #expect(!overlapped)
        try await Task.sleep(for: .milliseconds(200))
        let after = counts.withLock { $0.ticks }
        #expect(after <= ticks + 1)  // a call under way may finish
    }

    @Test func runInExecutorKeepsTheLoopServingOthers() async throws {
        // One event loop, so both clients share it: had the blocking call run on it, the second
        // request could not be answered until the first was released.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let gate = BlockingGate()
        let app = Application([
            try URLSpec("/block", BlockingHandler.self, gate), try URLSpec("/", HelloHandler.self),
        ]).withLogLevel(.critical)
        let server = HTTPServer(app, group: group)
        try await server.bind(0, address: "127.0.0.1")
        try server.start()
        let port = try #require(server.ports.first)

        // Generous timeouts: the gate stays shut until the second answer has come, so a loop
        // held by the blocking call would never answer; the whole suite's load only slows both.
        async let blocked = httpGet(port: port, "/block", timeout: .seconds(60))
        while !gate.entered.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(try await httpGet(port: port, "/", timeout: .seconds(60)).text == "Hello, world")
        gate.open()
        #expect(try await blocked.text == "unblocked")
        await server.shutdown()
        try await group.shutdownGracefully()
    }
}
