import Dispatch
import Gale

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a worker of a multi-process server got from its parent, read from the environment
/// `ProcessSupervisor` sets: its task ID, its listening sockets (descriptors 3, 4, ...), a
/// lifeline (a pipe whose other end only the parent holds: end of file means the parent is
/// gone) and the parent's status pipe (where the worker says it is serving).
struct WorkerRole: Sendable {
    static let socketCountVariable = "GALE_LISTEN_FDS"
    static let parentVariable = "GALE_PARENT_PID"
    static let lifelineVariable = "GALE_LIFELINE_FD"
    static let statusVariable = "GALE_STATUS_FD"
    /// Every variable a parent sets, which it removes from what it inherited first.
    static let variables = [
        ServerProcess.taskIDVariable, socketCountVariable, parentVariable, lifelineVariable, statusVariable,
    ]
    /// The first descriptor a worker receives a socket on.
    static let firstSocket: Int32 = 3

    let taskID: Int
    let socketCount: Int
    let parent: pid_t
    let lifeline: Int32
    let status: Int32

    /// This process's role, if a supervising parent started it. Read once (`bind` reads it),
    /// then the variables are removed, so a program this worker starts is not taken for a
    /// worker itself; `ServerProcess.taskID` is read first and keeps its value.
    static let current: WorkerRole? = {
        guard let taskID = ServerProcess.taskID, let sockets = integer(socketCountVariable),
            let parent = integer(parentVariable), let lifeline = integer(lifelineVariable),
            let status = integer(statusVariable)
        else { return nil }
        for variable in variables { unsetenv(variable) }
        return WorkerRole(
            taskID: taskID, socketCount: sockets, parent: pid_t(parent), lifeline: Int32(lifeline),
            status: Int32(status))
    }()

    private static func integer(_ name: String) -> Int? {
        getenv(name).flatMap { Int(String(cString: $0)) }
    }

    /// Ends this worker gracefully (as SIGTERM does) once its parent is gone, so no worker
    /// outlives its supervisor; at once if the parent died before this worker got here.
    func watchParent() {
        guard getppid() == parent else {
            kill(getpid(), SIGTERM)
            return
        }
        let lifeline = self.lifeline
        let source = DispatchSource.makeReadSource(fileDescriptor: lifeline, queue: .global())
        source.setEventHandler {
            var byte: UInt8 = 0
            if read(lifeline, &byte, 1) <= 0 {
                source.cancel()
                kill(getpid(), SIGTERM)
            }
        }
        // The handler holds the source, which holds the handler: alive until cancelled.
        source.resume()
    }

    /// Tells the parent where this worker is: "ready" (serving) or "draining" (no longer
    /// accepting), what a rolling restart waits for.
    func report(_ state: String, includePID: Bool = true) {
        let line = Array((includePID ? "\(state) \(getpid())\n" : "\(state)\n").utf8)
        _ = line.withUnsafeBytes { write(status, $0.baseAddress, $0.count) }
    }
}
