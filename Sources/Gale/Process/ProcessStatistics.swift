import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one process of a server has done: requests served and in flight, and since when.
/// Gale's own server counts into its application's (`Application.statistics`); a
/// multi-process server's parent collects every worker's on SIGUSR1, and
/// `ProcessStatusHandler` shows the answering worker's. Tornado has no such counters (its
/// guide notes that processes are hard to monitor).
public final class ProcessStatistics: Sendable {
    /// When counting began (the application's creation).
    public let started = ContinuousClock.now
    private let servedCount = Atomic<Int>(0)
    private let inFlightCount = Atomic<Int>(0)

    /// Creates counters at zero.
    public init() {}

    /// Requests whose handler has finished.
    public var served: Int { servedCount.load(ordering: .relaxed) }
    /// Requests whose handler is running now.
    public var inFlight: Int { inFlightCount.load(ordering: .relaxed) }

    /// A request's handler starts.
    package func begin() {
        inFlightCount.add(1, ordering: .relaxed)
    }

    /// A request's handler has finished.
    package func end() {
        inFlightCount.subtract(1, ordering: .relaxed)
        servedCount.add(1, ordering: .relaxed)
    }

    /// This process's resident memory in bytes (`VmRSS`), where the system tells it.
    public static func residentBytes(of pid: Int32 = getpid()) -> Int? {
        guard let file = fopen("/proc/\(pid)/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("VmRSS:") else { continue }
            let kilobytes = text.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
            return kilobytes.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
