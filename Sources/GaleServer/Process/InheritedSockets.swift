import Gale
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Listening sockets this process was handed when it started: by a supervising Gale parent
/// (`GALE_LISTEN_FDS`), by the image that executed this one in its place (autoreload,
/// `ServerProcess.handedOverSocketsVariable`) or by systemd's socket activation (`LISTEN_FDS`
/// with `LISTEN_PID` this process). `HTTPServer.bind` takes them in order instead of opening
/// new ones, so the same program runs alone, as a worker, reloaded or socket-activated
/// without a change.
///
/// Process-wide by nature: descriptors belong to the process, not to one server object.
enum InheritedSockets {
    private static let all = handedOver()
    private static let remaining = Mutex<[Int32]>(all)

    /// Whether systemd or a parent handed this process sockets when it started.
    static var given: Bool { !all.isEmpty }

    /// The next inherited socket, if any is left.
    static func take() -> Int32? {
        remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }

    private static func handedOver() -> [Int32] {
        if let worker = WorkerRole.current {
            return (0..<worker.socketCount).map { WorkerRole.firstSocket + Int32($0) }
        }
        // Handed over across an exec: the descriptors are named, then forgotten.
        if let list = getenv(ServerProcess.handedOverSocketsVariable).map({ String(cString: $0) }) {
            unsetenv(ServerProcess.handedOverSocketsVariable)
            return list.split(separator: ",").compactMap { Int32($0) }
        }
        // systemd (sd_listen_fds): for this very process only, then forgotten, so a child this
        // process starts does not take them for its own.
        guard let pid = getenv("LISTEN_PID").flatMap({ Int32(String(cString: $0)) }), pid == getpid(),
            let count = getenv("LISTEN_FDS").flatMap({ Int(String(cString: $0)) }), count > 0
        else { return [] }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        return (0..<count).map { WorkerRole.firstSocket + Int32($0) }
    }
}
