import Gale

#if canImport(Glibc)
    import Glibc
#endif

/// Executes a program in this process's place, handing it the listening sockets: each is
/// duplicated without close-on-exec (so closing the server's own copy keeps the socket and
/// its queue of waiting clients) and named in `ServerProcess.handedOverSocketsVariable`.
enum SocketHandOver {
    /// Copies of every listening socket this process holds, to survive an exec.
    static func listeningSockets() -> [Int32] {
        var copies: [Int32] = []
        guard let directory = opendir("/proc/self/fd") else { return [] }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let descriptor = Int32(name) { descriptors.append(descriptor) }
        }
        closedir(directory)
        for descriptor in descriptors {
            var listening: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0, listening == 1 else {
                continue
            }
            let copy = fcntl(descriptor, F_DUPFD, 3)
            if copy >= 0 { copies.append(copy) }
        }
        return copies
    }

    /// Replaces this process with `path`, same arguments and environment, `sockets` handed
    /// over. Returns only if the exec failed, with the reason.
    static func execute(_ path: String, handing sockets: [Int32]) -> String {
        var environment: [String] = []
        var entry = environ
        let prefix = ServerProcess.handedOverSocketsVariable + "="
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if !text.hasPrefix(prefix) { environment.append(text) }
            entry += 1
        }
        if !sockets.isEmpty { environment.append(prefix + sockets.map(String.init).joined(separator: ",")) }
        // The new image starts as a fresh process would: no blocked signals, default handlers
        // (the server ignores SIGTERM and friends to take them through dispatch sources).
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        for number in [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD, SIGPIPE] { signal(number, SIG_DFL) }
        let argv = CommandLine.arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        execve(path, argv, envp)
        let reason = String(cString: strerror(errno))
        for pointer in argv { free(pointer) }
        for pointer in envp { free(pointer) }
        return reason
    }
}
