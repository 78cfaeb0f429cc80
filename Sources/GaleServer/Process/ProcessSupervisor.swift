import Dispatch
import Gale
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The parent of a multi-process server: starts the workers, replaces those that die, and
/// never serves. Tornado: `tornado.process.fork_processes(n, max_restarts)`.
///
/// Workers are spawned, not forked: each is this same executable started again with the same
/// arguments and environment, plus its task ID and its listening sockets on descriptors 3,
/// 4, ..., so nothing of this process (threads, event loops, locks) is shared by accident,
/// and a rebuilt executable takes effect at the next spawn. Each task ID has sockets of its
/// own (`SO_REUSEPORT`, see `ListeningSocket.split`), which this process keeps open, so
/// connections wait in their queue while that task's worker is replaced.
///
/// - A worker that dies abnormally (a signal, a non-zero exit) is replaced with the same task
///   ID, at most `maxRestarts` times in all; past that the parent stops the others and exits 1.
///   One that exits with 0 is not replaced; when none is left, the parent exits 0.
/// - SIGTERM or SIGINT: every worker gets SIGTERM (each finishes its in-flight requests), and
///   the parent exits 0 once all have ended.
/// - SIGHUP: a rolling restart, one task ID at a time: the old worker is told to stop (it stops
///   accepting and drains its requests), its replacement starts as soon as it has stopped
///   accepting, and the next task ID's turn comes once the replacement serves.
/// - Workers end themselves when the parent is gone (`WorkerRole.watchParent`).
///
/// Everything runs on one serial queue; `run()` blocks the calling thread until the end.
final class ProcessSupervisor: @unchecked Sendable {
    // @unchecked: every mutable field is touched only on `queue` (`run` sets up there too);
    // `exitCode` is read after `finished.wait()`, which orders it after the write on `queue`.
    private struct Worker {
        var taskID: Int
        var started: ContinuousClock.Instant
        var ready = false
        /// Told to stop: its exit is expected, not a crash.
        var retiring = false
    }

    /// By task ID, the sockets that task's worker gets.
    private let sockets: [[ListeningSocket]]
    private let maxRestarts: Int
    private let logger: Logger
    private let launcher: WorkerLauncher
    private let queue = DispatchQueue(label: "gale.supervisor")
    private var workers: [pid_t: Worker] = [:]
    private var restarts = 0
    private var stopping = false
    private var exitCode: Int32 = 0
    /// Task IDs still to replace in a rolling restart, and the worker being replaced now.
    private var rollingQueue: [Int] = []
    private var rollingOld: pid_t?
    /// The task ID of a rolling restart's old worker that ended before it said "draining".
    private var retiredTaskID = 0
    private var sources: [any DispatchSourceProtocol] = []
    private let finished = DispatchSemaphore(value: 0)
    private var statusBuffer: [UInt8] = []
    /// Task IDs whose worker exited normally and was not replaced; their sockets are closed.
    private var abandoned: Set<Int> = []
    /// By task ID, how many workers in a row died before they served.
    private var failuresBeforeReady: [Int: Int] = [:]

    /// In a rolling restart: how long an old worker has to say it stopped accepting, and its
    /// replacement to say it serves; how long any worker told to stop has before SIGKILL; the
    /// longest pause before starting again a worker that never served.
    static let drainingReportTimeout: Double = 10
    static let readyReportTimeout: Double = 30
    static let killTimeout: Double = 60
    static let longestRestartPause: Double = 5

    init(sockets: [[ListeningSocket]], maxRestarts: Int, logger: Logger) throws(HTTPServerError) {
        self.sockets = sockets
        self.maxRestarts = maxRestarts
        self.logger = logger
        launcher = try WorkerLauncher()
    }

    /// Starts the workers and supervises them until the end; returns the exit code.
    func run() -> Int32 {
        // Set up on `queue`, like every other touch of `sources`: a signal that comes before
        // the last source is added runs its handler (which may cancel them all) only after.
        queue.sync { [self] in
            let handled = [SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1]
            for number in handled {
                signal(number, number == SIGCHLD ? SIG_DFL : SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [self] in handle(signal: number) }
                source.resume()
                sources.append(source)
            }
            let reader = DispatchSource.makeReadSource(fileDescriptor: launcher.status.read, queue: queue)
            reader.setEventHandler { [self] in readStatus() }
            reader.resume()
            sources.append(reader)
            // A child's SIGCHLD can come before libdispatch has registered its source: a periodic
            // look for exited children catches any such.
            let reaper = DispatchSource.makeTimerSource(queue: queue)
            reaper.schedule(deadline: .now() + 1, repeating: 1)
            reaper.setEventHandler { [self] in reap() }
            reaper.resume()
            sources.append(reaper)
        }
        queue.async { [self] in
            logger.info("starting \(sockets.count) worker processes")
            for taskID in sockets.indices { spawn(taskID) }
        }
        finished.wait()
        return exitCode
    }

    // MARK: Events

    private func handle(signal number: Int32) {
        switch number {
        case SIGCHLD: reap()
        case SIGHUP: startRollingRestart()
        case SIGUSR1: collectStatistics()
        default: stop(exitCode: 0, reason: "signal \(number)")
        }
    }

    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { break }
            guard let worker = workers.removeValue(forKey: pid) else { continue }
            exited(pid: pid, worker: worker, status: status)
        }
        if stopping && workers.isEmpty { finish() }
    }

    private func exited(pid: pid_t, worker: Worker, status: Int32) {
        let signaled = status & 0x7F != 0 && status & 0x7F != 0x7F
        let code = (status >> 8) & 0xFF
        let how = signaled ? "was killed by signal \(status & 0x7F)" : "exited with status \(code)"
        if stopping || worker.retiring {
            logger.info("worker \(worker.taskID) (pid \(pid)) \(how)")
            if pid == rollingOld {  // ended before saying it was draining
                retiredTaskID = worker.taskID
                replaceRolling(pid)
            }
            return
        }
        guard signaled || code != 0 else {
            // Not replaced, as in Tornado; its sockets close, so the kernel stops queueing
            // connections that no worker would take.
            logger.info("worker \(worker.taskID) (pid \(pid)) exited normally")
            abandon(worker.taskID)
            if pid == rollingWaitingFor {
                rollingWaitingFor = nil
                continueRollingRestart()
            }
            if workers.isEmpty { finish() }
            return
        }
        logger.warning("worker \(worker.taskID) (pid \(pid)) \(how)")
        restarts += 1
        guard restarts <= maxRestarts else {
            stop(exitCode: 1, reason: "too many worker restarts (\(maxRestarts)): giving up")
            return
        }
        if pid == rollingWaitingFor {
            abortRollingRestart("the new worker \(worker.taskID) \(how) before serving")
        }
        // A worker that never served is started again after a pause that doubles each time
        // (0.1 s to 5 s), so a broken executable does not use up the restarts in a second,
        // and one put right in its place is picked up by the next attempt.
        let failures = worker.ready ? 0 : (failuresBeforeReady[worker.taskID] ?? 0) + 1
        failuresBeforeReady[worker.taskID] = failures
        guard failures > 0 else {
            spawn(worker.taskID)
            return
        }
        let pause = min(Self.longestRestartPause, 0.1 * Double(1 << min(failures - 1, 16)))
        logger.info("starting worker \(worker.taskID) again in \(pause) s")
        queue.asyncAfter(deadline: .now() + pause) { [self] in spawn(worker.taskID) }
    }

    /// A task ID given up: its sockets close (clients still queued there get a reset rather
    /// than wait forever).
    private func abandon(_ taskID: Int) {
        guard !abandoned.contains(taskID) else { return }
        abandoned.insert(taskID)
        for socket in sockets[taskID] { close(socket.descriptor) }
    }

    private func readStatus() {
        var chunk = [UInt8](repeating: 0, count: 512)
        let got = chunk.withUnsafeMutableBytes { read(launcher.status.read, $0.baseAddress, $0.count) }
        guard got > 0 else { return }
        statusBuffer += chunk[..<got]
        while let newline = statusBuffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: statusBuffer[..<newline], as: UTF8.self)
            statusBuffer.removeSubrange(...newline)
            let words = line.split(separator: " ")
            guard words.count >= 2, let pid = pid_t(words[1]), workers[pid] != nil else { continue }
            switch words[0] {
            case "ready":
                workers[pid]?.ready = true
                if let taskID = workers[pid]?.taskID { failuresBeforeReady[taskID] = 0 }
                if pid == rollingWaitingFor {
                    rollingWaitingFor = nil
                    continueRollingRestart()
                }
            case "draining":
                if pid == rollingOld { replaceRolling(pid) }
            case "stats" where words.count == 4:
                collected[pid] = (Int(words[2]) ?? 0, Int(words[3]) ?? 0)
            default:
                break
            }
        }
    }

    // MARK: Rolling restart

    /// The replacement a rolling restart waits to see serving.
    private var rollingWaitingFor: pid_t?

    private func startRollingRestart() {
        guard !stopping else { return }
        guard rollingQueue.isEmpty, rollingWaitingFor == nil, rollingOld == nil else {
            logger.info("SIGHUP: a rolling restart is already under way")
            return
        }
        logger.info("SIGHUP: replacing \(workers.count) workers one at a time")
        rollingQueue = workers.values.map(\.taskID).sorted()
        continueRollingRestart()
    }

    /// Tells the next task ID's worker to stop; its replacement starts once it drains.
    private func continueRollingRestart() {
        guard !stopping, rollingOld == nil, rollingWaitingFor == nil else { return }
        guard !rollingQueue.isEmpty else {
            logger.info("rolling restart done")
            return
        }
        let taskID = rollingQueue.removeFirst()
        guard let old = workers.first(where: { $0.value.taskID == taskID && !$0.value.retiring })?.key else {
            continueRollingRestart()
            return
        }
        workers[old]?.retiring = true
        rollingOld = old
        kill(old, SIGTERM)
        // A worker that does not say it stopped accepting is replaced anyway (the two share
        // the sockets meanwhile), and one that does not end is killed.
        queue.asyncAfter(deadline: .now() + Self.drainingReportTimeout) { [self] in
            guard rollingOld == old else { return }
            logger.warning(
                "worker \(taskID) (pid \(old)) did not stop accepting within \(Self.drainingReportTimeout) s: starting its replacement anyway"
            )
            replaceRolling(old)
        }
        queue.asyncAfter(deadline: .now() + Self.killTimeout) { [self] in
            guard workers[old] != nil else { return }
            logger.warning("worker \(taskID) (pid \(old)) still runs \(Self.killTimeout) s after SIGTERM: killing it")
            kill(old, SIGKILL)
        }
    }

    /// The old worker stopped accepting (or ended): its replacement starts on the same sockets.
    private func replaceRolling(_ old: pid_t) {
        guard old == rollingOld, !stopping else { return }
        rollingOld = nil
        let taskID = workers[old]?.taskID ?? retiredTaskID
        guard let replacement = spawn(taskID) else {
            abortRollingRestart("the new worker \(taskID) could not be started")
            return
        }
        rollingWaitingFor = replacement
        // One slow to say it serves does not hold the rest up for ever.
        queue.asyncAfter(deadline: .now() + Self.readyReportTimeout) { [self] in
            guard rollingWaitingFor == replacement else { return }
            logger.warning(
                "worker \(taskID) (pid \(replacement)) has not said it serves after \(Self.readyReportTimeout) s: going on with the next"
            )
            rollingWaitingFor = nil
            continueRollingRestart()
        }
    }

    /// Leaves the workers not yet replaced on the executable they run: the new one does not
    /// start, and replacing them too would leave nothing serving.
    private func abortRollingRestart(_ reason: String) {
        logger.error(
            "rolling restart stopped: \(reason); the \(rollingQueue.count) workers not yet replaced keep running")
        rollingQueue = []
        rollingWaitingFor = nil
    }

    // MARK: Statistics

    /// Replies to the last SIGUSR1: requests served and in flight, by worker.
    private var collected: [pid_t: (served: Int, inFlight: Int)] = [:]

    /// SIGUSR1: asks every serving worker for its counters, and a second later logs a table
    /// with them, each worker's uptime and resident memory.
    private func collectStatistics() {
        collected = [:]
        for (pid, worker) in workers where worker.ready { kill(pid, SIGUSR1) }
        queue.asyncAfter(deadline: .now() + 1) { [self] in
            var lines = ["task  pid      uptime  served  in flight  RSS"]
            for (pid, worker) in workers.sorted(by: { $0.value.taskID < $1.value.taskID }) {
                let uptime = (ContinuousClock.now - worker.started).components.seconds
                let counts = collected[pid]
                let rss = ProcessStatistics.residentBytes(of: pid).map { "\($0 >> 20) MiB" } ?? "-"
                lines.append(
                    "\(worker.taskID)     \(pid)  \(uptime) s  \(counts.map { String($0.served) } ?? "-")  "
                        + "\(counts.map { String($0.inFlight) } ?? "-")  \(rss)")
            }
            logger.info("workers:\n\(lines.joined(separator: "\n"))")
        }
    }

    // MARK: Stopping

    private func stop(exitCode: Int32, reason: String) {
        if !stopping {
            stopping = true
            rollingQueue = []
            rollingOld = nil
            rollingWaitingFor = nil
            self.exitCode = exitCode
            if exitCode == 0 {
                logger.info("stopping \(workers.count) workers (\(reason))")
            } else {
                logger.error("\(reason)")
            }
            for pid in workers.keys { kill(pid, SIGTERM) }
            repeatTerminate(after: 2)
            // A worker that does not end within a minute is killed.
            queue.asyncAfter(deadline: .now() + Self.killTimeout) { [self] in
                for pid in workers.keys { kill(pid, SIGKILL) }
            }
        }
        if workers.isEmpty { finish() }
    }

    /// Sends SIGTERM again to the workers still there: one still starting can lose the first,
    /// between ignoring the signal and its handler's registration. A worker already draining
    /// takes a repeat as a no-op.
    private func repeatTerminate(after seconds: Double) {
        queue.asyncAfter(deadline: .now() + seconds) { [self] in
            guard !workers.isEmpty else { return }
            for pid in workers.keys { kill(pid, SIGTERM) }
            repeatTerminate(after: seconds)
        }
    }

    private func finish() {
        for source in sources { source.cancel() }
        sources = []
        finished.signal()
    }

    // MARK: Spawning

    /// Starts a worker for `taskID`; on failure, tries again a second later (it counts as a
    /// restart).
    @discardableResult
    private func spawn(_ taskID: Int) -> pid_t? {
        guard !stopping, !abandoned.contains(taskID) else { return nil }
        switch launcher.launch(taskID: taskID, sockets: sockets[taskID]) {
        case .success(let pid):
            workers[pid] = Worker(taskID: taskID, started: .now)
            logger.info("started worker \(taskID) (pid \(pid))")
            return pid
        case .failure(let reason):
            logger.error("cannot start worker \(taskID) (\(launcher.executable)): \(reason)")
            restarts += 1
            if restarts > maxRestarts {
                stop(exitCode: 1, reason: "cannot start workers: giving up")
            } else {
                queue.asyncAfter(deadline: .now() + 1) { [self] in spawn(taskID) }
            }
            return nil
        }
    }
}
