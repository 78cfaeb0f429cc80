import Gale
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Restarts this process in place when its executable, its templates (when compiled ones are
/// cached) or a watched file changes, keeping its listening sockets. Tornado:
/// `tornado.autoreload`.
///
/// `serve` starts it when the `autoreload` setting is on (as `debug` does) or with
/// `--autoreload`; code that calls `HTTPServer` itself calls `start(application:)` after
/// `start()`. On a change it waits until the executable is whole (a build may still be
/// writing it), runs the reload hooks (`serve` adds one that drains the server's requests),
/// and executes the program again with the same arguments and environment. Its listening
/// sockets stay open across the exec and the new image serves them, so a client that
/// connects meanwhile waits in the queue and is answered.
///
/// Process-wide by nature, as in Tornado: one process image, one set of watched files.
public enum Autoreload {
    private struct State: Sendable {
        var watcher: FileWatcher?
        var paths: [String] = []
        var hooks: [@Sendable () async -> Void] = []
        var reloading = false
        var executable: ExecutableFile?
        var logger = Logger(label: "gale.autoreload")
    }

    private static let state = Mutex(State())

    /// Set by `gale-autoreload` for the programs it runs.
    public static let toolVariable = "GALE_AUTORELOAD_TOOL"

    /// Whether `start` has run in this process.
    public static var isStarted: Bool { state.withLock { $0.watcher != nil } }

    /// Watches `path` too (a file, or a directory and everything below it). Tornado:
    /// `autoreload.watch(filename)`.
    public static func watch(_ path: String) throws(AutoreloadError) {
        let watcher = state.withLock { state in
            state.paths.append(path)
            return state.watcher
        }
        try watcher?.watch(path)
    }

    /// Runs `hook` before the process restarts, after the ones added earlier. Tornado:
    /// `autoreload.add_reload_hook(fn)`.
    public static func addReloadHook(_ hook: @escaping @Sendable () async -> Void) {
        state.withLock { $0.hooks.append(hook) }
    }

    /// Starts watching this executable, `application`'s template directory (when
    /// `compiledTemplateCache` is on) and the paths given to `watch`. Tornado:
    /// `autoreload.start()`. A second call does nothing.
    public static func start(application: Application? = nil) throws(AutoreloadError) {
        guard !isStarted else { return }
        guard let executable = ExecutableFile.current() else {
            throw .refused("autoreload: cannot find this program's executable (/proc/self/exe)")
        }
        let watcher = try FileWatcher { path in changed(path) }
        // Under gale-autoreload, which rebuilds and restarts this program itself, a new
        // executable is its business: restarting here as well would race it.
        let underTool = getenv(toolVariable) != nil
        var paths = underTool ? [] : [executable.path]
        // Templates need a restart only when compiled ones are kept; otherwise (debug mode)
        // each request reads them afresh, and restarting would only slow the edit down.
        if let settings = application?.settings, let templates = settings.templatePath,
            settings.effectiveCompiledTemplateCache
        {
            paths.append(templates)
        }
        let logger = application?.logger ?? Logger(label: "gale.autoreload")
        let watched = state.withLock { state in
            state.watcher = watcher
            state.executable = executable
            state.logger = logger
            return paths + state.paths
        }
        for path in watched { try watcher.watch(path) }
        if underTool { logger.info("autoreload: gale-autoreload restarts this program when it is rebuilt") }
        if !watched.isEmpty { logger.info("autoreload: watching \(watched.joined(separator: ", "))") }
    }

    /// A watched path changed: reload, once, after the burst of changes a save or a build makes.
    private static func changed(_ path: String) {
        let (first, logger) = state.withLock { state in
            defer { state.reloading = true }
            return (!state.reloading, state.logger)
        }
        guard first else { return }
        logger.info("autoreload: \(path) changed")
        Task {
            try? await Task.sleep(for: .milliseconds(200))
            await reload()
        }
    }

    private static func reload() async {
        let (executable, hooks, logger) = state.withLock { ($0.executable, $0.hooks, $0.logger) }
        guard let executable else { return }
        // A build may be writing the executable even when a template was the change.
        guard await executable.waitUntilRunnable() else {
            logger.error("autoreload: \(executable.path) did not become a whole executable; not reloading")
            state.withLock { $0.reloading = false }
            return
        }
        let sockets = SocketHandOver.listeningSockets()
        for hook in hooks { await hook() }
        logger.info("autoreload: restarting \(executable.path)")
        let failure = SocketHandOver.execute(executable.path, handing: sockets)
        // Still here: that file could not be executed. Start this image again instead.
        logger.error("autoreload: cannot execute \(executable.path): \(failure); restarting the running image")
        let again = SocketHandOver.execute("/proc/self/exe", handing: sockets)
        logger.critical("autoreload: cannot restart: \(again)")
        exit(1)
    }
}
