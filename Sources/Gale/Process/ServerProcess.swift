#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// This process's place in a multi-process server. Tornado: `tornado.process`.
///
/// A server started with `HTTPServer.start(0)` (or `serve --processes N`) runs N worker
/// processes under a supervising parent; each worker has a task ID from 0 to N-1, which a
/// replacement (after a crash or a rolling restart) keeps.
public enum ServerProcess {
    /// The name of the environment variable that carries a worker's task ID.
    public static let taskIDVariable = "GALE_TASK_ID"

    /// The name of the environment variable that lists, comma-separated, the listening
    /// sockets a process handed to the program it executes in its place (autoreload): the new
    /// image serves them instead of binding, so no client is refused in between.
    public static let handedOverSocketsVariable = "GALE_INHERITED_FDS"

    /// This worker's number, 0 to N-1; `nil` in a single process (and under FastCGI or CGI).
    /// Tornado: `tornado.process.task_id()`.
    public static let taskID: Int? = {
        guard let value = getenv(taskIDVariable) else { return nil }
        return Int(String(cString: value))
    }()

    /// The path this process's executable was started from, read from `/proc/self/exe`. If
    /// the file was replaced since (a rebuild), the path names the new one: what a restart
    /// should run.
    public static var executablePath: String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        var path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
        return path
    }

    /// The number of CPUs online: how many workers `start(0)` makes. Tornado:
    /// `tornado.process.cpu_count()`.
    public static var cpuCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
