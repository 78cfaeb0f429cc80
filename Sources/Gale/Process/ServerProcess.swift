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

    /// This worker's number, 0 to N-1; `nil` in a single process (and under FastCGI or CGI).
    /// Tornado: `tornado.process.task_id()`.
    public static let taskID: Int? = {
        guard let value = getenv(taskIDVariable) else { return nil }
        return Int(String(cString: value))
    }()

    /// The number of CPUs online: how many workers `start(0)` makes. Tornado:
    /// `tornado.process.cpu_count()`.
    public static var cpuCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
