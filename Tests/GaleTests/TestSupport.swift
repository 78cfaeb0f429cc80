import Gale
import GaleTesting
import Logging
import Synchronization

extension Application {
    /// The same application with its loggers quiet, so passing tests print little.
    func quiet() -> Application { withLogLevel(.critical) }

    /// The same application with its loggers writing into `sink`.
    func capturingLogs(into sink: LogSink) -> Application {
        var copy = self
        copy.logger = Logger(label: "gale.application") { _ in sink.handler() }
        copy.accessLogger = Logger(label: "gale.access") { _ in sink.handler() }
        return copy
    }
}

/// Collects log lines for assertions.
final class LogSink: Sendable {
    private let lines = Mutex<[String]>([])

    var messages: [String] { lines.withLock { $0 } }

    func handler() -> Handler { Handler(sink: self) }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let sink: LogSink
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            sink.append("\(event.level) \(event.message)")
        }
    }
}
