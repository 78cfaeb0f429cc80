import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Calls `callback` every `interval` until stopped. Tornado: `tornado.ioloop.PeriodicCallback`.
///
/// ```swift
/// let heartbeat = PeriodicCallback(every: .seconds(30)) { await room.pingEveryone() }
/// heartbeat.start()
/// ```
///
/// Ticks never pile up: a callback that runs longer than `interval` makes the next tick wait
/// for it, and the ticks it overran are skipped, so the schedule stays on multiples of
/// `interval` from `start()`, as in Tornado. `jitter` (0 to 1) moves each tick by up to that
/// fraction of `interval`, so many processes do not fire together.
public final class PeriodicCallback: Sendable {
    /// The time between ticks. Tornado: `callback_time`.
    public let interval: Duration
    /// The fraction of `interval` each tick may move by. Tornado: `jitter`.
    public let jitter: Double
    private let callback: @Sendable () async throws -> Void
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// A periodic callback; nothing runs until `start()`.
    public init(
        every interval: Duration, jitter: Double = 0, logger: Logger = Logger(label: "gale.application"),
        _ callback: @escaping @Sendable () async throws -> Void
    ) {
        precondition(interval > .zero, "PeriodicCallback needs a positive interval")
        self.interval = interval
        self.jitter = min(max(jitter, 0), 1)
        self.logger = logger
        self.callback = callback
    }

    /// Whether it is started. Tornado: `is_running()`.
    public var isRunning: Bool { task.withLock { $0 != nil } }

    /// Starts ticking; the first call comes one interval from now. Tornado: `start()`.
    public func start() {
        IOLoop.current.noteScheduledWork()
        task.withLock { task in
            guard task == nil else { return }
            let executor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
            task = Task(executorPreference: executor) { [self] in await run() }
        }
    }

    /// Stops ticking. A call under way is cancelled: its next `await` that checks cancellation
    /// (`Task.sleep`, say) throws. Tornado: `stop()`.
    public func stop() {
        task.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    private func run() async {
        let clock = ContinuousClock()
        let start = clock.now
        var tick = 1
        while !Task.isCancelled {
            let wobble = jitter > 0 ? interval * Double.random(in: -jitter / 2...jitter / 2) : .zero
            do {
                try await Task.sleep(until: start + interval * tick + wobble, clock: clock)
            } catch {
                return
            }
            do {
                try await callback()
            } catch {
                logger.error("Exception in PeriodicCallback: \(String(reflecting: error))")
            }
            // Skip the ticks the callback overran.
            let elapsed = clock.now - start
            tick = max(tick + 1, Int((elapsed / interval).rounded(.down)) + 1)
        }
    }
}
