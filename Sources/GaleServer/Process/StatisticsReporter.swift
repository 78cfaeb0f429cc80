import Dispatch
import Gale
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Answers SIGUSR1 with this process's statistics: a worker sends them to its parent, which
/// logs a table of all its workers; a single process logs its own line.
enum StatisticsReporter {
    private static let installed = Mutex(false)

    /// Starts answering SIGUSR1 for `application`'s counters; once per process.
    static func install(application: Application) {
        let first = installed.withLock { installed -> Bool in
            defer { installed = true }
            return !installed
        }
        guard first else { return }
        signal(SIGUSR1, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        let statistics = application.statistics
        let logger = application.logger
        source.setEventHandler {
            _ = source  // the handler holds the source, which holds the handler: alive for good
            if let worker = WorkerRole.current {
                worker.report("stats \(getpid()) \(statistics.served) \(statistics.inFlight)", includePID: false)
            } else {
                let uptime = (ContinuousClock.now - statistics.started).components.seconds
                let rss = ProcessStatistics.residentBytes().map { "\($0 >> 20) MiB" } ?? "-"
                logger.info(
                    "pid \(getpid()): up \(uptime) s, \(statistics.served) requests served, \(statistics.inFlight) in flight, RSS \(rss)"
                )
            }
        }
        source.resume()
    }
}
