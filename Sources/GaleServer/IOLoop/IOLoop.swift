import Dispatch
import Gale
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's event loop, in Tornado's shape: `IOLoop.current.start()` serves until
/// `stop()`, SIGINT or SIGTERM, then shuts every started server down gracefully and returns.
///
/// Tornado: `tornado.ioloop.IOLoop`. The work itself runs on NIO's shared event loops
/// (`MultiThreadedEventLoopGroup.singleton`); this object is the process-wide switch that
/// `IOLoop.current().start()` of Tornado's guide expects, as NIO's singleton group is.
public final class IOLoop: Sendable {
    /// The process's loop. Tornado: `IOLoop.current()`.
    public static let current = IOLoop()

    private struct State {
        var servers: [HTTPServer] = []
        var running = false
        var stopRequested = false
        /// Whether a callback or periodic call was ever scheduled, which `start(n)` refuses.
        var scheduledWork = false
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    private init() {}

    /// Serves until `stop()` or SIGINT/SIGTERM; then stops accepting, lets in-flight requests
    /// finish (each server's `shutdownGracePeriod` at most) and returns, so `main` can exit 0.
    public func start() {
        let alreadyStopped = state.withLock { state -> Bool in
            state.running = true
            return state.stopRequested
        }
        let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { [self] in stop() }
        if !alreadyStopped { wakeUp.wait() }
        let servers = state.withLock { state -> [HTTPServer] in
            defer {
                state.servers = []
                state.running = false
                state.stopRequested = false
            }
            return state.servers
        }
        let done = DispatchSemaphore(value: 0)
        Task {
            await withTaskGroup(of: Void.self) { group in
                for server in servers { group.addTask { await server.shutdown() } }
            }
            done.signal()
        }
        done.wait()
        // Only now: a second SIGTERM during the drain (systemd's, a parent's) must not kill.
        watcher.cancel()
    }

    /// Makes `start()` return after a graceful shutdown. Safe from any thread or handler.
    /// Tornado: `IOLoop.current().stop()`.
    public func stop() {
        let wake = state.withLock { state -> Bool in
            guard !state.stopRequested else { return false }
            state.stopRequested = true
            return state.running
        }
        if wake { wakeUp.signal() }
    }

    /// Whether work was ever scheduled on this loop (`callLater`, `addCallback`,
    /// `spawnCallback`, a `PeriodicCallback`).
    var hasScheduledWork: Bool {
        state.withLock { $0.scheduledWork }
    }

    func noteScheduledWork() {
        state.withLock { $0.scheduledWork = true }
    }

    /// Servers started in this process, to shut down when the loop stops.
    func register(_ server: HTTPServer) {
        state.withLock { $0.servers.append(server) }
    }

    func unregister(_ server: HTTPServer) {
        state.withLock { $0.servers.removeAll { $0 === server } }
    }
}
