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
        try setHeader("Cache-Control", "no-store")
        try write(
            ProcessStatus(
                taskID: ServerProcess.taskID, pid: Int(getpid()),
                uptimeSeconds: (ContinuousClock.now - statistics.started).components.seconds,
                requestsServed: statistics.served, requestsInFlight: statistics.inFlight,
                rssBytes: ProcessStatistics.residentBytes()))
        try finish()
    }
}

/// What `ProcessStatusHandler` answers, in this order (`null` for a missing value).
struct ProcessStatus: Encodable {
    var taskID: Int?
    var pid: Int
    var uptimeSeconds: Int64
    var requestsServed: Int
    var requestsInFlight: Int
    var rssBytes: Int?

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case pid
        case uptimeSeconds = "uptime_seconds"
        case requestsServed = "requests_served"
        case requestsInFlight = "requests_in_flight"
        case rssBytes = "rss_bytes"
    }
}
