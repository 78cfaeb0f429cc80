import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Tornado's log line for swift-log: `[I 261204 20:08:41 GaleCommand:123] message`, the level's
/// initial, the date and time, the module and line, coloured by level on a terminal (blue
/// debug, green info, yellow warning, red error). Tornado: `tornado.log.LogFormatter`. Goes to
/// standard error or to a rotating `LogFile` (`--log-file-prefix`).
public struct GaleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let output: LogFile
    private let colours: Bool

    init(level: Logger.Level, output: LogFile) {
        logLevel = level
        self.output = output
        // Colour only for a person: standard error on a terminal, never in a file.
        colours = output.path == nil && isatty(2) == 1
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Self.prefix(event.level, source: event.source, line: event.line)
        if colours { line = Self.colour(event.level) + line + "\u{1B}[0m" }
        line += " " + event.message.description
        let merged = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        output.write(line)
    }

    /// `[I 261204 20:08:41 Module:12]`.
    static func prefix(_ level: Logger.Level, source: String, line: UInt, now: Int = Int(time(nil))) -> String {
        var clock = time_t(now)
        var parts = tm()
        localtime_r(&clock, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = two(parts.tm_year % 100) + two(parts.tm_mon + 1) + two(parts.tm_mday)
        let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        return "[\(initial(level)) \(date) \(time) \(source):\(line)]"
    }

    private static func initial(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "T"
        case .debug: "D"
        case .info: "I"
        case .notice: "N"
        case .warning: "W"
        case .error: "E"
        case .critical: "C"
        }
    }

    /// Tornado's colours: `curses` colours 4 (blue), 2 (green), 3 (yellow), 1 (red).
    private static func colour(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "\u{1B}[34m"
        case .info, .notice: "\u{1B}[32m"
        case .warning: "\u{1B}[33m"
        case .error, .critical: "\u{1B}[31m"
        }
    }
}
