import Logging
import NIOCore
import Synchronization

/// Counts a server's open connections against `maxConnections` (nginx: `worker_connections`;
/// Tornado has no such limit). A connection past the limit is accepted and closed at once, so
/// its client hears so instead of waiting in the listen queue, and the open ones keep being
/// served. The warning is logged once each time the server becomes full, not once per refusal:
/// a flood must not fill the disk with one line per connection.
final class ConnectionAdmission: Sendable {
    private let limit: Int?
    private let logger: Logger
    private let open = Atomic<Int>(0)
    /// Whether the warning for the current spell of refusals was logged.
    private let warned = Atomic<Bool>(false)

    init(limit: Int?, logger: Logger) {
        self.limit = limit.map { max($0, 1) }
        self.logger = logger
    }

    /// The connections counted now.
    var count: Int { open.load(ordering: .relaxed) }

    /// Counts `channel` in until it closes and returns `true`, or returns `false` past the limit.
    func admit(_ channel: any Channel) -> Bool {
        guard let limit else { return true }
        let now = open.add(1, ordering: .relaxed).newValue
        guard now <= limit else {
            open.subtract(1, ordering: .relaxed)
            if !warned.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "maxConnections (\(limit)) reached: closing new connections until some close (\(channel.remoteAddress?.description ?? "?"))"
                )
            }
            return false
        }
        channel.closeFuture.whenComplete { [self] _ in
            open.subtract(1, ordering: .relaxed)
            warned.store(false, ordering: .relaxed)
        }
        return true
    }
}
