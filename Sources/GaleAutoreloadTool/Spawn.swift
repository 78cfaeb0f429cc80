#if canImport(Glibc)
    import Glibc
#endif

/// Child processes for `DevelopmentLoop`, started with `posix_spawn`.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `path` with `argv` (stdin, stdout and stderr shared with this tool), in a
    /// process group of its own when `ownGroup`, with `socket` on descriptor 3 when given.
    static func run(_ path: String, _ argv: [String], ownGroup: Bool, socket: Int32? = nil) -> Result<pid_t, Failure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let socket { posix_spawn_file_actions_adddup2(&actions, socket, 3) }
        return spawn(path, argv, actions: &actions, ownGroup: ownGroup)
    }

    /// Runs `env argv...` to its end and returns what it printed, trimmed; `nil` if it failed.
    static func output(_ argv: [String]) -> String? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        let started = spawn("/usr/bin/env", ["env"] + argv, actions: &actions, ownGroup: false)
        close(ends[1])
        defer { close(ends[0]) }
        guard case .success(let pid) = started else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// "exited with status N" or "was killed by signal N", from a `waitpid` status.
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        return signal != 0 ? "was killed by signal \(signal)" : "exited with status \((status >> 8) & 0xFF)"
    }

    private static func spawn(
        _ path: String, _ argv: [String], actions: inout posix_spawn_file_actions_t, ownGroup: Bool
    ) -> Result<pid_t, Failure> {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A fresh start for the child: no blocked signals, default handlers (this tool ignores
        // SIGINT and SIGTERM to take them through dispatch sources).
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGCHLD, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, path, &actions, &attributes, arguments, environ)
        guard result == 0 else { return .failure(Failure(description: String(cString: strerror(result)))) }
        return .success(pid)
    }
}
