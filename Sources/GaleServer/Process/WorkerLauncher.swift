import Gale

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts worker processes for `ProcessSupervisor`: this executable again, from its path (so
/// a rebuilt one takes effect), with the same arguments and environment plus what
/// `WorkerRole` reads: the task ID, the sockets on descriptors 3, 4, ..., the lifeline and
/// the status pipe.
struct WorkerLauncher: Sendable {
    /// The executable's path, as the parent was started from it.
    let executable: String
    private let arguments: [String]
    /// The pipe whose write end only the parent holds; workers watch the read end.
    let lifeline: (read: Int32, write: Int32)
    /// The pipe workers write their state to ("ready", "draining", counters).
    let status: (read: Int32, write: Int32)

    init() throws(HTTPServerError) {
        executable = ServerProcess.executablePath ?? CommandLine.arguments[0]
        arguments = CommandLine.arguments
        lifeline = try Self.pipe()
        status = try Self.pipe()
    }

    /// Spawns the worker for `taskID` on `sockets`; its pid, or why it could not start.
    func launch(taskID: Int, sockets: [ListeningSocket]) -> Result<pid_t, LaunchFailure> {
        let first = WorkerRole.firstSocket
        let lifelineTarget = first + Int32(sockets.count)
        let statusTarget = lifelineTarget + 1
        var environment = Self.inheritedEnvironment()
        environment += [
            "\(ServerProcess.taskIDVariable)=\(taskID)",
            "\(WorkerRole.socketCountVariable)=\(sockets.count)",
            "\(WorkerRole.parentVariable)=\(getpid())",
            "\(WorkerRole.lifelineVariable)=\(lifelineTarget)",
            "\(WorkerRole.statusVariable)=\(statusTarget)",
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, socket) in sockets.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, socket.descriptor, first + Int32(index))
        }
        posix_spawn_file_actions_adddup2(&actions, lifeline.read, lifelineTarget)
        posix_spawn_file_actions_adddup2(&actions, status.write, statusTarget)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // A group of its own: a terminal's Ctrl-C or hangup reaches the parent, which tells the
        // workers what to do, rather than every worker at once.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { return .failure(LaunchFailure(reason: String(cString: strerror(result)))) }
        return .success(pid)
    }

    /// Why `posix_spawn` failed.
    struct LaunchFailure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// This process's environment without the variables a parent sets for its workers (or
    /// systemd for this process).
    private static func inheritedEnvironment() -> [String] {
        var result: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = text.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            if !WorkerRole.variables.contains(name) && !name.hasPrefix("LISTEN_") { result.append(text) }
            entry = entry.advanced(by: 1)
        }
        return result
    }

    /// A close-on-exec pipe, both ends moved above the descriptors workers receive.
    private static func pipe() throws(HTTPServerError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else {
            throw .processesRefused("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        let read = fcntl(ends[0], F_DUPFD_CLOEXEC, ListeningSocket.firstPrivateDescriptor)
        let write = fcntl(ends[1], F_DUPFD_CLOEXEC, ListeningSocket.firstPrivateDescriptor)
        close(ends[0])
        close(ends[1])
        return (read, write)
    }
}
