import ArgumentParser
import GaleAutoreload

#if canImport(Glibc)
    import Glibc
#endif

/// `gale-autoreload`: builds a product of the package it runs in, runs it, and on every change
/// to the sources rebuilds and restarts it on the same port. Tornado: `python -m
/// tornado.autoreload program.py`, for a compiled language.
@main
struct AutoreloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gale-autoreload",
        abstract: "Build a product, run it, and rebuild and restart it whenever its sources change.",
        discussion: """
            Run from the package root: swift run gale-autoreload friendfeed serve --port 8888 --debug
            Swift and C files in Sources/ and Examples/, Package.swift, and anything in each --watch \
            path are watched. A build that fails \
            leaves the last good program running. With --port N in the program's arguments, this \
            tool holds the listening socket and hands it to each run (systemd's LISTEN_FDS), so a \
            client connecting during a restart waits instead of being refused.
            """)

    @Option(
        name: .customLong("watch"), help: "Another file or directory whose every change rebuilds (repeatable).")
    var watch: [String] = []

    @Option(name: .customLong("configuration"), help: "The build configuration: debug or release.")
    var buildConfiguration: BuildConfiguration = .debug

    @Option(help: "The package root (default: the current directory).")
    var packagePath: String = "."

    @Argument(help: "The executable product to build and run.")
    var product: String

    @Argument(parsing: .captureForPassthrough, help: "The program's own arguments.")
    var arguments: [String] = []

    enum BuildConfiguration: String, ExpressibleByArgument {
        case debug, release
    }

    func validate() throws {
        guard access(packagePath + "/Package.swift", F_OK) == 0 else {
            throw ValidationError("no Package.swift in \(packagePath): run gale-autoreload from a package root")
        }
    }

    func run() throws {
        let socket = try ListeningAddress(arguments: arguments).map { try $0.bind() }
        // Absolute paths, so a change is named the same way whichever watch saw it.
        let sources = ["Sources", "Examples", "Package.swift"].map { packagePath + "/" + $0 }
            .filter { access($0, F_OK) == 0 }.map(Self.absolute)
        let loop = try DevelopmentLoop(
            packagePath: packagePath, product: product, configuration: buildConfiguration.rawValue,
            arguments: arguments, socket: socket)
        try loop.run(sources: sources, explicit: watch.map(Self.absolute))
    }

    /// `path` resolved (`realpath`), or as given if it does not exist.
    static func absolute(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
