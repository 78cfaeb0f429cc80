#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Answers with the answering process's state as JSON: `task_id` (null in a single process),
/// `pid`, `uptime_seconds`, `requests_served`, `requests_in_flight` and `rss_bytes`. Opt in by
/// routing to it, preferably where only operators reach:
///
/// ```swift
/// try URLSpec("/_status", ProcessStatusHandler.self)
/// ```
///
/// Beyond Tornado, whose guide admits that its processes are hard to monitor.
public final class ProcessStatusHandler: RequestHandler {
    override public func get() throws {
        let statistics = application.statistics
        let uptime = ContinuousClock.now - statistics.started
        let fields: [(String, String)] = [
            ("task_id", ServerProcess.taskID.map(String.init) ?? "null"),
            ("pid", String(getpid())),
            ("uptime_seconds", String(uptime.components.seconds)),
            ("requests_served", String(statistics.served)),
            ("requests_in_flight", String(statistics.inFlight)),
            ("rss_bytes", ProcessStatistics.residentBytes().map(String.init) ?? "null"),
        ]
        try setHeader("Content-Type", "application/json; charset=UTF-8")
        try setHeader("Cache-Control", "no-store")
        try finish("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }
}
