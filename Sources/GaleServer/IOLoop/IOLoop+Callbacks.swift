import Gale
import Logging
import NIOCore
import NIOPosix

extension IOLoop {
    /// The loop's clock. Tornado: `IOLoop.time()`.
    public var time: ContinuousClock.Instant { .now }

    /// Runs `work` after `delay` on a shared event loop. Tornado: `IOLoop.call_later`.
    @discardableResult
    public func callLater(_ delay: Duration, _ work: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        noteScheduledWork()
        return MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: TimeAmount(delay), work)
    }

    /// Runs `work` at `deadline` (on `time`'s clock) on a shared event loop; at once if it has
    /// passed. Tornado: `IOLoop.call_at`.
    @discardableResult
    public func callAt(_ deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        callLater(max(deadline - .now, .zero), work)
    }

    /// Runs `work` soon on a shared event loop. Tornado: `IOLoop.add_callback`.
    public func addCallback(_ work: @escaping @Sendable () -> Void) {
        noteScheduledWork()
        MultiThreadedEventLoopGroup.singleton.next().execute(work)
    }

    /// Runs async `work` in the background, on a shared event loop as handlers run; an error
    /// it throws is logged, not raised. Tornado: `IOLoop.spawn_callback`.
    public func spawnCallback(
        logger: Logger = Logger(label: "gale.application"), _ work: @escaping @Sendable () async throws -> Void
    ) {
        noteScheduledWork()
        let executor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
        Task(executorPreference: executor) {
            do {
                try await work()
            } catch {
                logger.error("Exception in callback spawned with spawnCallback: \(String(reflecting: error))")
            }
        }
    }

    /// Runs blocking `work` (a file read, a C library call, a slow computation) on NIO's thread
    /// pool and returns its result, so the event loop, and every other client on it, goes on
    /// meanwhile. Tornado: `IOLoop.run_in_executor(None, func)`.
    @discardableResult
    public func runInExecutor<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws
        -> Result
    {
        try await Executor.shared.runIfActive(work)
    }
}
