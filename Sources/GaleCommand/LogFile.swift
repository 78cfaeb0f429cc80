import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where log lines go: standard error, or a file that rotates by size or by time. Tornado:
/// `--log_file_prefix` with `--log_rotate_mode`, `--log_file_max_size`,
/// `--log_file_num_backups`, `--log_rotate_when` and `--log_rotate_interval`, which set up
/// Python's `RotatingFileHandler` or `TimedRotatingFileHandler`.
final class LogFile: Sendable {
    /// When a file is set aside for a new one.
    enum Rotation: Sendable, Equatable {
        /// Past `maxBytes`: `PATH` becomes `PATH.1`, `PATH.1` becomes `PATH.2`, ...
        case size(maxBytes: Int)
        /// Every `seconds` (aligned to midnight for days): `PATH` becomes `PATH.YYYY-MM-DD_HH-MM-SS`.
        case time(seconds: Int)
    }

    private struct State {
        var descriptor: Int32
        var size: Int
        var nextRollover: Int
    }

    let path: String?
    private let rotation: Rotation
    private let backups: Int
    private let state: Mutex<State>

    /// Standard error.
    static let standardError = LogFile()

    private init() {
        path = nil
        rotation = .size(maxBytes: .max)
        backups = 0
        state = Mutex(State(descriptor: 2, size: 0, nextRollover: .max))
    }

    /// Appends to `path`, creating it, and keeps `backups` old files.
    init(path: String, rotation: Rotation, backups: Int) throws(LogFileError) {
        self.path = path
        self.rotation = rotation
        self.backups = max(0, backups)
        let descriptor = try Self.open(path)
        var info = stat()
        fstat(descriptor, &info)
        state = Mutex(
            State(
                descriptor: descriptor, size: Int(info.st_size),
                nextRollover: Self.nextRollover(after: Int(time(nil)), rotation: rotation)))
    }

    /// Writes `line` (with its newline), rotating first when it is time.
    func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        state.withLock { state in
            if let path {
                let now = Int(time(nil))
                switch rotation {
                case .size(let maxBytes) where state.size > 0 && state.size + bytes.count > maxBytes:
                    rotate(&state, path: path, suffixes: (1...max(1, backups)).map { ".\($0)" })
                case .time where now >= state.nextRollover:
                    rotate(&state, path: path, suffixes: ["." + Self.stamp(state.nextRollover - Self.period(rotation))])
                    state.nextRollover = Self.nextRollover(after: now, rotation: rotation)
                default:
                    break
                }
            }
            _ = bytes.withUnsafeBytes { Glibc.write(state.descriptor, $0.baseAddress, $0.count) }
            state.size += bytes.count
        }
    }

    /// Sets the file aside under its first suffix (size: shifting the older ones up) and
    /// starts a new one; the oldest beyond `backups` are removed.
    private func rotate(_ state: inout State, path: String, suffixes: [String]) {
        close(state.descriptor)
        if case .size = rotation {
            unlink(path + (suffixes.last ?? ".1"))
            for index in stride(from: suffixes.count - 1, to: 0, by: -1) {
                rename(path + suffixes[index - 1], path + suffixes[index])
            }
            if backups > 0 { rename(path, path + ".1") } else { unlink(path) }
        } else {
            rename(path, path + (suffixes.first ?? ""))
            pruneTimed(path)
        }
        state.descriptor = (try? Self.open(path)) ?? 2
        state.size = 0
    }

    /// Keeps the `backups` newest time-stamped files.
    private func pruneTimed(_ path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let prefix = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + "."
        guard let stream = opendir(directory) else { return }
        var stamped: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix), name.count == prefix.count + 19 { stamped.append(name) }
        }
        closedir(stream)
        for old in stamped.sorted().dropLast(backups) { unlink(directory + "/" + old) }
    }

    private static func open(_ path: String) throws(LogFileError) -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LogFileError(path: path, reason: String(cString: strerror(errno))) }
        return descriptor
    }

    private static func period(_ rotation: Rotation) -> Int {
        if case .time(let seconds) = rotation { return max(1, seconds) }
        return .max
    }

    /// The first rollover after `now`: a day's boundaries fall on local midnight.
    private static func nextRollover(after now: Int, rotation: Rotation) -> Int {
        guard case .time(let seconds) = rotation else { return .max }
        let step = max(1, seconds)
        guard step % 86_400 == 0 else { return now - now % step + step }
        var clock = time_t(now)
        var parts = tm()
        localtime_r(&clock, &parts)
        let midnight = now - Int(parts.tm_hour) * 3600 - Int(parts.tm_min) * 60 - Int(parts.tm_sec)
        return midnight + step
    }

    /// `YYYY-MM-DD_HH-MM-SS`, local time, as Python's timed rotation names its files.
    static func stamp(_ seconds: Int) -> String {
        var clock = time_t(seconds)
        var parts = tm()
        localtime_r(&clock, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))_"
            + "\(two(parts.tm_hour))-\(two(parts.tm_min))-\(two(parts.tm_sec))"
    }
}

/// A log file that cannot be opened: the path and why.
public struct LogFileError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot open the log file \(path): \(reason)" }
}
