// ws-load: the load client of Benchmarks/websocket.sh, on swift-websocket's WSClient.
//
// Echo mode (the default):
//   ws-load --url ws://127.0.0.1:P/echo --connections N --size BYTES --duration SECONDS
//           [--warmup SECONDS] [--binary]
// opens N connections; once all are open, each sends one message of BYTES and awaits its echo,
// again and again (a closed loop), for the warm-up and then the measured duration. Only round
// trips that end inside the measured window count. Every echo is compared byte for byte with
// what was sent: each connection cycles through 4 payloads carrying its number and the
// variant, so a reply from another connection, a stale reply or a damaged one is caught.
//
// Idle mode:
//   ws-load --idle --url ws://127.0.0.1:P/idle --connections N [--broadcasts K]
//           [--control DIR] [--wait-limit SECONDS]
// opens N connections (at most 128 handshakes at a time) and keeps them open doing nothing.
// With --control, it then creates DIR/connected and waits for DIR/go (the script reads the
// server's memory in between). Then, K times, connection 0 sends the text "broadcast", the
// server sends the same 32 bytes to every open socket, and the time until all N have received
// it is measured. Then DIR/measured, a wait for DIR/close, and the process exits (the kernel
// closes the sockets).
//
// Each connection's code runs on the event loop its channel lives on (a task executor
// preference), which costs the client less CPU a round trip; --global-executor leaves it on
// Swift's global executor instead.
//
// Prints `key: value` lines for the script. Exits 3 when an echo or a broadcast did not match,
// or a connection failed: such a run is invalid.
import Logging
import NIOCore
import NIOPosix
import Synchronization
import WSClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Options

struct Options {
    var url = ""
    var connections = 1
    var size = 32
    var duration = 5.0
    var warmup = 1.0
    var binary = false
    var idle = false
    var broadcasts = 5
    var control: String?
    var waitLimit = 120.0
    var maxFrameSize = 1 << 20
    var pinned = true

    static let usage = """
        usage: ws-load --url URL --connections N --size BYTES --duration SECONDS [--warmup SECONDS] [--binary]
               ws-load --idle --url URL --connections N [--broadcasts K] [--control DIR] [--wait-limit SECONDS]
               either mode: [--global-executor]
        """

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        func value(_ name: String) -> String {
            guard let next = rest.popFirst() else { Self.fail("\(name) needs a value") }
            return next
        }
        func number<T: LosslessStringConvertible & Comparable>(_ name: String, atLeast minimum: T) -> T {
            let text = value(name)
            guard let parsed = T(text), parsed >= minimum else { Self.fail("\(name) \(text): at least \(minimum)") }
            return parsed
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--url": url = value(argument)
            case "--connections": connections = number(argument, atLeast: 1)
            case "--size": size = number(argument, atLeast: 16)
            case "--duration": duration = number(argument, atLeast: 0.1)
            case "--warmup": warmup = number(argument, atLeast: 0.0)
            case "--binary": binary = true
            case "--global-executor": pinned = false
            case "--idle": idle = true
            case "--broadcasts": broadcasts = number(argument, atLeast: 1)
            case "--control": control = value(argument)
            case "--wait-limit": waitLimit = number(argument, atLeast: 1.0)
            case "-h", "--help":
                print(Self.usage)
                exit(0)
            default: Self.fail("unknown argument \(argument)")
            }
        }
        guard url.hasPrefix("ws://") else { Self.fail("--url must be a ws:// URL") }
        maxFrameSize = max(maxFrameSize, size * 2)
    }

    static func fail(_ message: String) -> Never {
        FileHandleOutput.error("ws-load: \(message)\n\(usage)")
        exit(2)
    }
}

/// Unbuffered-enough output: stdout is flushed after every report line, so the script sees
/// each line as soon as it is printed.
enum FileHandleOutput {
    static func line(_ text: String) {
        print(text)
        fflush(nil)  // every output stream; stdout itself is a C global Swift 6 will not touch
    }

    static func error(_ text: String) {
        let line = text + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}

func report(_ key: String, _ value: CustomStringConvertible) {
    FileHandleOutput.line("\(key): \(value)")
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) / 1e18
}

func nanoseconds(_ duration: Duration) -> Int {
    let (whole, attoseconds) = duration.components
    return Int(whole) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
}

func formatted(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
    } else if decimals > 0 {
        text += "." + String(repeating: "0", count: decimals)
    }
    return text
}

/// The value at quantile `q` of sorted nanoseconds, in milliseconds (nearest rank).
func percentileMs(_ sorted: [Int], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
    return Double(sorted[rank]) / 1e6
}

func residentKiB() -> Int {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") {
            return Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
    }
    return 0
}

/// User plus system CPU seconds this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func secs(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return secs(usage.ru_utime) + secs(usage.ru_stime)
}

func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

func touch(_ path: String) {
    if let file = fopen(path, "w") { fclose(file) }
}

/// Waits until `path` exists, at most `limit` seconds.
func waitForFile(_ path: String, limit: Double) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(limit * 1000))
    while !fileExists(path) {
        guard ContinuousClock.now < deadline else { throw LoadError("no \(path) within \(limit) s") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Coordination

/// Opens once `count` connections have arrived, or fails them all. Hands every waiter the same
/// start instant.
final class Gate: Sendable {
    private struct State {
        var arrived = 0
        var waiters: [CheckedContinuation<ContinuousClock.Instant?, Never>] = []
        var start: ContinuousClock.Instant??
    }
    private let count: Int
    private let delay: Duration
    private let state = Mutex(State())

    init(count: Int, delay: Duration) {
        self.count = count
        self.delay = delay
    }

    /// Arrives and waits; `nil` when the gate was failed (another connection could not open).
    func arriveAndWait() async -> ContinuousClock.Instant? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock {
                state -> (ContinuousClock.Instant?, [CheckedContinuation<ContinuousClock.Instant?, Never>])? in
                if let start = state.start { return (start, [continuation]) }
                state.arrived += 1
                state.waiters.append(continuation)
                guard state.arrived == count else { return nil }
                let start = ContinuousClock.now + delay
                state.start = .some(start)
                defer { state.waiters = [] }
                return (start, state.waiters)
            }
            if let (start, waiters) = ready {
                for waiter in waiters { waiter.resume(returning: start) }
            }
        }
    }

    func fail() {
        let waiters = state.withLock { state in
            if state.start == nil { state.start = .some(nil) }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// When the connections were released, if they were.
    var start: ContinuousClock.Instant? { state.withLock { $0.start ?? nil } }
}

/// Holds handshakes in flight to `limit`: the servers' listen backlogs are 128 (Tornado) to
/// 1024 (Gale), and a flood of SYNs beyond them costs retransmission seconds.
final class Permits: Sendable {
    private let state: Mutex<(free: Int, waiters: [CheckedContinuation<Void, Never>])>

    init(_ limit: Int) { state = Mutex((limit, [])) }

    func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state -> Bool in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}

/// Runs a task's jobs on one NIO event loop. Each connection's handler prefers the loop its
/// channel lives on, so a frame read there resumes the handler on the same thread and its
/// write needs no hop: the client spends less of the 2 shared cores than with the handlers on
/// Swift's global executor (Gale's server does the same for its handlers).
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The client's event loops (one thread per core), each with its task executor; connection
/// `index` uses loop `index % count`.
struct Loops: Sendable {
    let loops: [any EventLoop]
    let executors: [EventLoopTaskExecutor]

    let pinned: Bool

    init(pinned: Bool) {
        self.pinned = pinned
        loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        executors = loops.map { EventLoopTaskExecutor($0) }
    }

    /// Connects on loop `index % count` with the handler's task on that loop.
    func connect(
        index: Int, url: String, configuration: WebSocketClientConfiguration, logger: Logger,
        handler: @escaping WebSocketDataHandler<WebSocketClient.Context>
    ) async throws {
        let slot = index % loops.count
        guard pinned else {
            _ = try await WebSocketClient.connect(
                url: url, configuration: configuration, eventLoopGroup: loops[slot], logger: logger, handler: handler)
            return
        }
        try await withTaskExecutorPreference(executors[slot]) {
            _ = try await WebSocketClient.connect(
                url: url, configuration: configuration, eventLoopGroup: loops[slot], logger: logger, handler: handler)
        }
    }
}

/// A mutex that closures can share (a `Mutex` itself cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}

/// A flag set once: `set()` is true for its first caller only.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() -> Bool {
        !value.exchange(true, ordering: .acquiringAndReleasing)
    }
}

// MARK: - Echo

struct EchoResult: Sendable {
    var latencies: [Int] = []  // nanoseconds, round trips ending inside the measured window
    var completed = 0  // every round trip, the warm-up's too
    var mismatches = 0
    var firstMismatch: String?
    var endedEarly = false
}

/// The 4 payloads of connection `index`: its number and the variant up front, then filler.
func payloads(index: Int, size: Int) -> [[UInt8]] {
    let filler = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    return (0..<4).map { variant in
        var bytes = Array("c\(index)v\(variant)|".utf8)
        var next = 0
        while bytes.count < size {
            bytes.append(filler[(next + variant * 7) % filler.count])
            next += 1
        }
        return Array(bytes.prefix(size))
    }
}

func runEcho(_ options: Options) async throws -> Int32 {
    let logger = Logger(label: "ws-load")
    let configuration = WebSocketClientConfiguration(maxFrameSize: options.maxFrameSize, autoPing: .disabled)
    let loops = Loops(pinned: options.pinned)
    let gate = Gate(count: options.connections, delay: .milliseconds(100))
    let results = Locked<[EchoResult]>([])
    let warmup = Duration.milliseconds(Int(options.warmup * 1000))
    let measured = Duration.milliseconds(Int(options.duration * 1000))
    let binary = options.binary
    let maxSize = options.maxFrameSize
    let connectStarted = ContinuousClock.now
    var failures: [String] = []

    await withTaskGroup(of: String?.self) { group in
        for index in 0..<options.connections {
            let variants = payloads(index: index, size: options.size)
            group.addTask {
                do {
                    try await loops.connect(
                        index: index, url: options.url, configuration: configuration, logger: logger
                    ) { inbound, outbound, _ in
                        guard let start = await gate.arriveAndWait() else { return }
                        let result = try await echoLoop(
                            inbound: inbound, outbound: outbound, variants: variants, binary: binary, maxSize: maxSize,
                            start: start, measureFrom: start + warmup, until: start + warmup + measured)
                        results.withLock { $0.append(result) }
                    }
                    return nil
                } catch {
                    gate.fail()
                    return "connection \(index): \(error)"
                }
            }
        }
        for await failure in group {
            if let failure { failures.append(failure) }
        }
    }

    let all = results.withLock { $0 }
    var latencies: [Int] = []
    latencies.reserveCapacity(all.reduce(0) { $0 + $1.latencies.count })
    for result in all { latencies.append(contentsOf: result.latencies) }
    latencies.sort()
    let mismatches = all.reduce(0) { $0 + $1.mismatches }
    let endedEarly = all.filter(\.endedEarly).count
    let rate = Double(latencies.count) / seconds(measured)
    report("mode", "echo")
    report("url", options.url)
    report("connections", options.connections)
    report("connected", all.count)
    report("size", options.size)
    report("kind", binary ? "binary" : "text")
    report("warmup_s", formatted(seconds(warmup), 3))
    report("duration_s", formatted(seconds(measured), 3))
    if let start = gate.start { report("connect_s", formatted(seconds(start - connectStarted), 3)) }
    report("round_trips", latencies.count)
    report("round_trips_with_warmup", all.reduce(0) { $0 + $1.completed })
    report("round_trips_per_s", formatted(rate, 1))
    report("p50_ms", formatted(percentileMs(latencies, 0.50), 3))
    report("p99_ms", formatted(percentileMs(latencies, 0.99), 3))
    report("max_ms", formatted(percentileMs(latencies, 1.0), 3))
    report("mismatches", mismatches)
    report("ended_early", endedEarly)
    report("failed_connections", failures.count)
    report("client_rss_kib", residentKiB())
    report("client_cpu_s", formatted(cpuSeconds(), 3))
    report("client_executor", options.pinned ? "event loop" : "global")
    if let first = all.compactMap(\.firstMismatch).first { report("first_mismatch", first) }
    for failure in failures.prefix(5) { report("failure", failure) }
    let valid = mismatches == 0 && endedEarly == 0 && failures.isEmpty && all.count == options.connections
    report("valid", valid ? "yes" : "no")
    return valid ? 0 : 3
}

func echoLoop(
    inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, variants: [[UInt8]], binary: Bool,
    maxSize: Int, start: ContinuousClock.Instant, measureFrom: ContinuousClock.Instant,
    until end: ContinuousClock.Instant
) async throws -> EchoResult {
    var result = EchoResult()
    result.latencies.reserveCapacity(1 << 16)
    let texts = variants.map { String(decoding: $0, as: UTF8.self) }
    let buffers = variants.map { ByteBuffer(bytes: $0) }
    var messages = inbound.messages(maxSize: maxSize).makeAsyncIterator()
    let clock = ContinuousClock()
    try await clock.sleep(until: start, tolerance: nil)
    var sequence = 0
    while true {
        let sent = clock.now
        if sent >= end { break }
        let variant = sequence & 3
        sequence += 1
        if binary {
            try await outbound.write(.binary(buffers[variant]))
        } else {
            try await outbound.write(.text(texts[variant]))
        }
        guard let reply = try await messages.next() else {
            result.endedEarly = true
            break
        }
        let received = clock.now
        result.completed += 1
        let matches: Bool
        switch reply {
        case .text(let text): matches = !binary && text == texts[variant]
        case .binary(let buffer): matches = binary && buffer == buffers[variant]
        }
        if !matches {
            result.mismatches += 1
            if result.firstMismatch == nil { result.firstMismatch = "expected variant \(variant), got \(reply)" }
        }
        if sent >= measureFrom && received <= end {
            result.latencies.append(nanoseconds(received - sent))
        }
    }
    return result
}

// MARK: - Idle connections and the broadcast

/// 32 bytes, the same text every server sends.
let broadcastMessage = "gale-broadcast-0123456789abcdefg"

/// Arrivals of the current broadcast.
final class Arrivals: Sendable {
    private struct State {
        var expected = 0
        var times: [ContinuousClock.Instant] = []
        var waiter: CheckedContinuation<Void, Never>?
        var mismatches = 0
        var total = 0
    }
    private let state = Mutex(State())

    /// Starts a broadcast that `expected` sockets should receive.
    func expect(_ expected: Int) {
        state.withLock { state in
            state.expected = expected
            state.times = []
            state.times.reserveCapacity(expected)
        }
    }

    func received(_ message: WebSocketMessage) {
        let now = ContinuousClock.now
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard case .text(let text) = message, text == broadcastMessage else {
                state.mismatches += 1
                return nil
            }
            state.total += 1
            state.times.append(now)
            guard state.times.count == state.expected else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Waits until every expected socket received the broadcast, or `limit` passes.
    func waitForAll(limit: Duration) async -> [ContinuousClock.Instant] {
        let timeout = Task {
            try await Task.sleep(for: limit)
            let waiter = self.state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
        defer { timeout.cancel() }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.times.count >= state.expected { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
        return state.withLock { $0.times }
    }

    var counts: (mismatches: Int, total: Int) { state.withLock { ($0.mismatches, $0.total) } }
}

func runIdle(_ options: Options) async throws -> Int32 {
    let logger = Logger(label: "ws-load")
    let configuration = WebSocketClientConfiguration(maxFrameSize: options.maxFrameSize, autoPing: .disabled)
    let count = options.connections
    let loops = Loops(pinned: options.pinned)
    let arrivals = Arrivals()
    let permits = Permits(128)
    let opened = Locked<(count: Int, trigger: WebSocketOutboundWriter?, failures: [String])>((0, nil, []))
    let allOpen = AsyncStream<Void>.makeStream()
    let rssBefore = residentKiB()
    let started = ContinuousClock.now

    // The connections live in this task group until the process exits.
    let connections = Task {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                await permits.acquire()
                group.addTask {
                    let released = Flag()
                    do {
                        try await loops.connect(
                            index: index, url: options.url, configuration: configuration, logger: logger
                        ) { inbound, outbound, _ in
                            if released.set() { permits.release() }
                            let last = opened.withLock { state -> Bool in
                                state.count += 1
                                if index == 0 { state.trigger = outbound }
                                return state.count == count
                            }
                            if last { allOpen.continuation.finish() }
                            for try await message in inbound.messages(maxSize: options.maxFrameSize) {
                                arrivals.received(message)
                            }
                        }
                    } catch {
                        opened.withLock { $0.failures.append("connection \(index): \(error)") }
                    }
                    if released.set() { permits.release() }
                }
                if opened.withLock({ !$0.failures.isEmpty }) { break }
            }
            await group.waitForAll()
        }
    }

    // Every connection open, or a failure, or the wait limit.
    let limit = Duration.milliseconds(Int(options.waitLimit * 1000))
    let watchdog = Task {
        try await Task.sleep(for: limit)
        allOpen.continuation.finish()
    }
    let failureWatch = Task {
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(50))
            if opened.withLock({ !$0.failures.isEmpty }) {
                allOpen.continuation.finish()
                return
            }
        }
    }
    for await _ in allOpen.stream {}
    watchdog.cancel()
    failureWatch.cancel()
    let connectTime = ContinuousClock.now - started
    let (openCount, trigger, failures) = opened.withLock { ($0.count, $0.trigger, $0.failures) }
    report("mode", "idle")
    report("url", options.url)
    report("connections", count)
    report("connected", openCount)
    report("connect_s", formatted(seconds(connectTime), 3))
    report("client_rss_before_kib", rssBefore)
    report("client_rss_connected_kib", residentKiB())
    for failure in failures.prefix(5) { report("failure", failure) }
    guard openCount == count, failures.isEmpty, let trigger else {
        report("failed_connections", failures.count)
        report("valid", "no")
        connections.cancel()
        return 3
    }
    if let control = options.control {
        touch(control + "/connected")
        try await waitForFile(control + "/go", limit: options.waitLimit)
    } else {
        try await Task.sleep(for: .seconds(1))
    }

    var totals: [Double] = []
    var halves: [Double] = []
    var incomplete = 0
    for round in 1...options.broadcasts {
        arrivals.expect(count)
        let sent = ContinuousClock.now
        try await trigger.write(.text("broadcast"))
        let times = await arrivals.waitForAll(limit: .seconds(30)).sorted()
        let total = times.last.map { seconds($0 - sent) * 1000 } ?? 0
        let half = times.isEmpty ? 0 : seconds(times[(times.count - 1) / 2] - sent) * 1000
        if times.count < count { incomplete += 1 }
        totals.append(total)
        halves.append(half)
        report(
            "broadcast_\(round)",
            "\(times.count) of \(count) received; all in \(formatted(total, 3)) ms, half in \(formatted(half, 3)) ms")
        try await Task.sleep(for: .milliseconds(300))
    }
    let (mismatches, received) = arrivals.counts
    let median = totals.sorted()[(totals.count - 1) / 2]
    let medianHalf = halves.sorted()[(halves.count - 1) / 2]
    report("broadcast_all_ms_median", formatted(median, 3))
    report("broadcast_half_ms_median", formatted(medianHalf, 3))
    report("broadcast_all_ms_each", totals.map { formatted($0, 3) }.joined(separator: ", "))
    report("broadcasts_received", "\(received) of \(count * options.broadcasts)")
    report("mismatches", mismatches)
    report("client_rss_after_kib", residentKiB())
    let valid = mismatches == 0 && incomplete == 0 && received == count * options.broadcasts
    report("valid", valid ? "yes" : "no")
    if let control = options.control {
        touch(control + "/measured")
        try? await waitForFile(control + "/close", limit: options.waitLimit)
    }
    // The kernel closes the sockets at exit; no close handshakes for 10,000 connections.
    return valid ? 0 : 3
}

// MARK: - Main

let options = Options(CommandLine.arguments)
do {
    let status = options.idle ? try await runIdle(options) : try await runEcho(options)
    exit(status)
} catch {
    FileHandleOutput.error("ws-load: \(error)")
    exit(1)
}
