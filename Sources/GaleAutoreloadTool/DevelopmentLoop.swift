import Dispatch
import GaleAutoreload

#if canImport(Glibc)
    import Glibc
#endif

/// The edit-build-run loop: builds the product, runs it, and on each burst of changes builds
/// again; a good build replaces the program, a failed one leaves it running. Everything runs
/// on one serial queue; `run` blocks until SIGINT or SIGTERM has stopped the program.
final class DevelopmentLoop: @unchecked Sendable {
    // @unchecked: every mutable field is touched only on `queue` (`run` sets up there too);
    // the `let`s are set in `init` and never change.
    private let packagePath: String
    private let product: String
    private let configuration: String
    private let arguments: [String]
    private let socket: Int32?
    private let queue = DispatchQueue(label: "gale-autoreload")
    private var sources: [any DispatchSourceProtocol] = []
    private var watcher: FileWatcher?

    private var build: (pid: pid_t, started: ContinuousClock.Instant)?
    /// Changes seen while a build ran: another build follows it.
    private var changedDuringBuild = false
    private var program: pid_t?
    /// The program was told to stop so a new build can take its place.
    private var replacing = false
    private var stopping = false
    private var debounce: DispatchWorkItem?
    /// Where `swift build` puts the product, asked once.
    private var binDirectory: String?
    private let done = DispatchSemaphore(value: 0)

    init(packagePath: String, product: String, configuration: String, arguments: [String], socket: Int32?) throws {
        self.packagePath = packagePath
        self.product = product
        self.configuration = configuration
        self.arguments = arguments
        self.socket = socket
    }

    /// Paths given with `--watch`: any change below them counts.
    private var explicit: [String] = []

    /// Watches `sources` for code (Swift, C, the manifest) and `explicit` for anything, then
    /// builds, runs and rebuilds until SIGINT or SIGTERM.
    func run(sources codePaths: [String], explicit: [String]) throws {
        // Set up on `queue`, like every other touch of the fields: a signal or a change that
        // comes before the last source is added is handled only after.
        let paths = codePaths + explicit
        try queue.sync { [self] in
            self.explicit = explicit
            // The program's own autoreload (debug mode) leaves new executables to this tool.
            setenv(Autoreload.toolVariable, String(getpid()), 1)
            let watcher = try FileWatcher { [self] path in queue.async { self.changed(path) } }
            for path in paths { try watcher.watch(path) }
            self.watcher = watcher
            for number in [SIGINT, SIGTERM, SIGCHLD] {
                signal(number, number == SIGCHLD ? SIG_DFL : SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [self] in number == SIGCHLD ? reap() : stop() }
                source.resume()
                sources.append(source)
            }
            // A child that ends before the SIGCHLD source is registered is found by this.
            let reaper = DispatchSource.makeTimerSource(queue: queue)
            reaper.schedule(deadline: .now() + 0.5, repeating: 0.5)
            reaper.setEventHandler { [self] in reap() }
            reaper.resume()
            sources.append(reaper)
        }
        say("watching \(paths.joined(separator: ", "))")
        queue.async { [self] in startBuild() }
        done.wait()
    }

    // MARK: Changes

    /// A burst of changes (a save writes and renames; a checkout touches many files) makes
    /// one build, 300 ms after the last of them.
    private func changed(_ path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if path.contains("/.build/") || name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp")
            || name == "4913"
        {
            return
        }
        // In the package's own folders only code makes a build: a template or a stylesheet
        // is read by the running program (debug mode reads templates on every request).
        let code =
            [".swift", ".c", ".h", ".cpp", ".cc", ".m"].contains { name.hasSuffix($0) } || name == "Package.swift"
        guard code || explicit.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else { return }
        debounce?.cancel()
        let work = DispatchWorkItem { [self] in
            say("\(path) changed")
            startBuild()
        }
        debounce = work
        queue.asyncAfter(deadline: .now() + 0.3, execute: work)
    }

    // MARK: Building

    private func startBuild() {
        guard !stopping else { return }
        guard build == nil else {
            changedDuringBuild = true
            return
        }
        say(program == nil ? "building \(product)..." : "rebuilding...")
        let command = ["swift", "build", "--package-path", packagePath, "-c", configuration, "--product", product]
        switch Spawn.run("/usr/bin/env", ["env"] + command, ownGroup: true) {
        case .success(let pid): build = (pid, .now)
        case .failure(let failure): say("cannot run swift build: \(failure)")
        }
    }

    private func buildEnded(succeeded: Bool, started: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - started).components
        let tenths = elapsed.seconds * 10 + elapsed.attoseconds / 100_000_000_000_000_000
        let seconds = "\(tenths / 10).\(tenths % 10)"
        if succeeded {
            say("build took \(seconds) s")
            if let program {
                replacing = true
                kill(program, SIGTERM)
                escalate(program)
            } else {
                startProgram()
            }
        } else {
            say(
                "build failed after \(seconds) s; "
                    + (program == nil ? "waiting for a change" : "the last good program keeps running"))
        }
        if changedDuringBuild {
            changedDuringBuild = false
            startBuild()
        }
    }

    // MARK: Running

    private func startProgram() {
        guard !stopping else { return }
        binDirectory =
            binDirectory
            ?? Spawn.output(["swift", "build", "--package-path", packagePath, "-c", configuration, "--show-bin-path"])
        guard let directory = binDirectory else {
            say("cannot find the build folder (swift build --show-bin-path)")
            return
        }
        let binary = directory + "/" + product
        // Through sh, which knows its own pid before it executes the program: systemd's
        // protocol wants LISTEN_PID to be the program's.
        let launch =
            socket == nil
            ? Spawn.run(binary, [binary] + arguments, ownGroup: true)
            : Spawn.run(
                "/bin/sh", ["sh", "-c", "export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$0\" \"$@\"", binary] + arguments,
                ownGroup: true, socket: socket)
        switch launch {
        case .success(let pid):
            say(replacing ? "restarted (pid \(pid))" : "started (pid \(pid))")
            program = pid
        case .failure(let failure):
            say("cannot start \(binary): \(failure)")
        }
        replacing = false
    }

    private func programEnded(status: Int32) {
        program = nil
        if stopping {
            finishIfIdle()
        } else if replacing {
            startProgram()
        } else {
            say("the program \(Spawn.describe(status)); waiting for a change")
        }
    }

    /// SIGKILL for `pid` if it is still ours 15 s after SIGTERM.
    private func escalate(_ pid: pid_t) {
        queue.asyncAfter(deadline: .now() + 15) { [self] in
            if program == pid || build?.pid == pid { kill(-pid, SIGKILL) }
        }
    }

    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { break }
            if let current = build, current.pid == pid {
                build = nil
                if stopping {
                    finishIfIdle()
                } else {
                    buildEnded(succeeded: status == 0, started: current.started)
                }
            } else if pid == program {
                programEnded(status: status)
            }
        }
    }

    // MARK: Stopping

    /// SIGINT or SIGTERM: the program and any build are told to stop; the tool exits once
    /// they have.
    private func stop() {
        guard !stopping else { return }
        stopping = true
        say("stopping")
        debounce?.cancel()
        if let program {
            kill(program, SIGTERM)
            escalate(program)
        }
        if let build {
            kill(-build.pid, SIGTERM)
            escalate(build.pid)
        }
        finishIfIdle()
    }

    private func finishIfIdle() {
        guard stopping, program == nil, build == nil else { return }
        for source in sources { source.cancel() }
        done.signal()
    }

    private func say(_ text: String) {
        let line = Array("gale-autoreload: \(text)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
