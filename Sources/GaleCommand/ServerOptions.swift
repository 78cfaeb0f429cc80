import ArgumentParser
import Gale
import GaleAutoreload
import GaleServer
import Logging
import NIOPosix

/// The command-line options every Gale server takes. Tornado: the `tornado.options` flags a
/// demo defines (`--port`) plus `--logging`, parsed by `parse_command_line()`.
///
/// ```swift
/// let options = ServerOptions.parseCommandLine()
/// try options.bootstrapLogging()
/// try app.listen(options.port, address: options.address, configuration: options.configuration)
/// IOLoop.current.start()
/// ```
public struct ServerOptions: Sendable {
    /// The TCP port to listen on.
    public var port: Int = 8888
    /// The address to listen on; `127.0.0.1` keeps the server private to this machine.
    public var address: String = "127.0.0.1"
    /// Trust `X-Real-Ip`/`X-Forwarded-For` and `X-Scheme` from a load balancer in front.
    public var xheaders = false
    /// The proxies in front on other machines, by address or network (`10.0.0.0/8`).
    /// Tornado: `HTTPServer(trusted_downstream=...)`.
    public var trustedDownstream: [String] = []
    /// The number of processes (`0`: one per CPU). Tornado: `HTTPServer.start(n)`.
    public var processes: Int = 1
    /// Event-loop threads in each process; 0 (the default) is NIO's shared group, one per CPU.
    /// With `processes` at one per CPU, 1 gives Tornado's shape: one loop in each process.
    public var eventLoops: Int = 0
    /// How many times in all a crashed worker is replaced before the server gives up.
    /// Tornado: `fork_processes(n, max_restarts=100)`.
    public var maxRestarts: Int = 100
    /// Development mode. Tornado: the `debug` setting.
    public var debug = false
    /// Restart in place when the executable or a template changes, even outside debug mode.
    /// Tornado: the `autoreload` setting.
    public var autoreload = false
    /// The key that signs cookies. Tornado: the `cookie_secret` setting. The ready command
    /// also reads `NAME_COOKIE_SECRET` and, failing both, makes a development secret.
    public var cookieSecret: String?
    /// The lowest level logged. Tornado: `--logging`.
    public var logging: Logger.Level = .info
    /// Log to this file instead of standard error, rotated. Tornado: `--log_file_prefix`.
    public var logFilePrefix: String?
    /// When the log file is set aside: past `logFileMaxSize` bytes (`.size`, Tornado's
    /// default, 100 MB) or every `logRotateInterval` units of `logRotateWhen` (`.time`).
    /// Tornado: `--log_rotate_mode`.
    public var logRotateMode: LogRotateMode = .size
    /// Tornado: `--log_file_max_size` (100 MB).
    public var logFileMaxSize: Int = 100 * 1000 * 1000
    /// How many old log files are kept. Tornado: `--log_file_num_backups` (10).
    public var logFileNumBackups: Int = 10
    /// The unit of time rotation: `S`, `M`, `H`, `D` or `midnight`. Tornado: `--log_rotate_when`.
    public var logRotateWhen: String = "midnight"
    /// How many units between time rotations. Tornado: `--log_rotate_interval` (1).
    public var logRotateInterval: Int = 1

    /// Tornado's `--log_rotate_mode`.
    public enum LogRotateMode: String, Sendable, CaseIterable, ExpressibleByArgument {
        case size, time
    }
    /// The TLS certificate (PEM, chain after it): serve HTTPS, and HTTP/2 to clients that offer
    /// it. Tornado's demos' `--certfile`, passed as `ssl_options["certfile"]`.
    public var certfile: String?
    /// The private key (PEM) for `certfile`; `nil` when it is in `certfile`. Tornado's demos'
    /// `--keyfile`.
    public var keyfile: String?

    /// Creates the defaults, as when no option is given.
    public init() {}

    /// Parses the process's arguments; prints help or an error and exits when they are bad.
    /// Tornado: `tornado.options.parse_command_line()`.
    public static func parseCommandLine() -> ServerOptions {
        ServerArguments.parseOrExit().options
    }

    /// The server configuration these options describe.
    public var configuration: HTTPServer.Configuration {
        HTTPServer.Configuration(
            xheaders: xheaders, trustedDownstream: Set(trustedDownstream),
            sslOptions: certfile.map { TLSOptions(certificateFile: $0, keyFile: keyfile) })
    }

    /// Sends every logger, in Tornado's line format (`GaleLogHandler`), to standard error or to
    /// the rotating `--log-file-prefix` file, at the `--logging` level. Tornado:
    /// `tornado.log.enable_pretty_logging()`. Throws when the log file cannot be opened or
    /// `--log-rotate-when` is not a unit.
    public func bootstrapLogging() throws {
        let output = try logOutput()
        let level = logging
        LoggingSystem.bootstrap { _ in GaleLogHandler(level: level, output: output) }
    }

    /// Standard error, or the log file with its rotation.
    func logOutput() throws -> LogFile {
        guard let path = logFilePrefix else { return .standardError }
        let units = ["S": 1, "M": 60, "H": 3600, "D": 86_400, "MIDNIGHT": 86_400]
        guard let unit = units[logRotateWhen.uppercased()] else {
            throw LogFileError(path: path, reason: "--log-rotate-when \(logRotateWhen) is not S, M, H, D or midnight")
        }
        let rotation: LogFile.Rotation =
            logRotateMode == .size
            ? .size(maxBytes: max(1, logFileMaxSize)) : .time(seconds: unit * max(1, logRotateInterval))
        return try LogFile(path: path, rotation: rotation, backups: logFileNumBackups)
    }

    /// Listens with `application` and serves until SIGINT/SIGTERM, as `app.listen(port)` +
    /// `IOLoop.current().start()` in Tornado's "Running and deploying" guide.
    public func serve(_ application: Application) throws {
        // The setting is checked by `start` (debug mode's reason first); the flag here.
        let reloads = autoreload || application.settings.effectiveAutoreload
        if autoreload && processes != 1 {
            throw AutoreloadError.refused(
                "--processes \(processes) with autoreload: autoreload restarts one process in place; "
                    + "use --processes 1 while developing, or turn autoreload (and debug) off")
        }
        let server =
            eventLoops > 0
            ? HTTPServer(
                application, configuration: configuration,
                group: MultiThreadedEventLoopGroup(numberOfThreads: eventLoops))
            : HTTPServer(application, configuration: configuration)
        try server.bind(port, address: address)
        try server.start(processes, maxRestarts: maxRestarts)
        let scheme = certfile == nil ? "http" : "https"
        for port in server.ports {
            application.logger.info("serving on \(scheme)://\(address.isEmpty ? "0.0.0.0" : address):\(port)/")
        }
        if reloads {
            // Before the restart: stop accepting (the socket itself goes to the new image) and
            // let the requests in flight finish.
            Autoreload.addReloadHook { await server.shutdown() }
            try Autoreload.start(application: application)
        }
        IOLoop.current.start()
    }
}

/// The command-line form of `ServerOptions`. A plain value type outside: a CGI request builds
/// the defaults without ArgumentParser's reflection, which is most of a CGI start-up.
struct ServerArguments: ParsableArguments {
    @Option(help: "The TCP port to listen on.")
    var port: Int = 8888

    @Option(
        help: ArgumentHelp(
            "A file of `name = value` lines with these options' names (Tornado's parse_config_file); options after it win.",
            valueName: "path"))
    var config: String?

    @Option(help: "The address to listen on (\"\" for every interface).")
    var address: String = "127.0.0.1"

    @Flag(help: "Trust X-Real-Ip / X-Forwarded-For and X-Scheme / X-Forwarded-Proto from a proxy.")
    var xheaders = false

    @Option(
        help: ArgumentHelp(
            "A proxy on another machine whose forwarding headers count (an address, or a network such as 10.0.0.0/8); repeat for several.",
            valueName: "address"))
    var trustedDownstream: [String] = []

    @Option(help: "Processes to run (0: one per CPU); a parent process supervises them.")
    var processes: Int = 1

    @Option(help: "Event-loop threads in each process (0: one per CPU).")
    var eventLoops: Int = 0

    @Option(help: "With several processes: how many worker crashes to recover from before giving up.")
    var maxRestarts: Int = 100

    @Flag(help: "Development mode: autoreload, no template or static hash caches, error details on 500 pages.")
    var debug = false

    @Flag(help: "Restart in place when the executable, a template or a watched file changes.")
    var autoreload = false

    @Option(help: "The cookie secret (else NAME_COOKIE_SECRET, else a generated development secret).")
    var cookieSecret: String?

    @Option(help: "Lowest log level: trace, debug, info, notice, warning, error, critical.")
    var logging: Logger.Level = .info

    @Option(help: ArgumentHelp("Log to this file instead of standard error, rotated.", valueName: "path"))
    var logFilePrefix: String?

    @Option(help: "Rotate the log file by size or by time.")
    var logRotateMode: ServerOptions.LogRotateMode = .size

    @Option(help: "With --log-rotate-mode size: the largest log file, in bytes.")
    var logFileMaxSize: Int = 100 * 1000 * 1000

    @Option(help: "How many old log files to keep.")
    var logFileNumBackups: Int = 10

    @Option(help: "With --log-rotate-mode time: the unit, S, M, H, D or midnight.")
    var logRotateWhen: String = "midnight"

    @Option(help: "With --log-rotate-mode time: how many units between rotations.")
    var logRotateInterval: Int = 1

    @Option(help: "Serve HTTPS (and HTTP/2) with this certificate file (PEM; the chain may follow).")
    var certfile: String?

    @Option(help: "The private key (PEM) for --certfile, when it is not in that file.")
    var keyfile: String?

    mutating func validate() throws {
        if keyfile != nil && certfile == nil {
            throw ValidationError("--keyfile needs --certfile (the certificate the key belongs to)")
        }
    }

    /// The parsed values.
    var options: ServerOptions {
        var options = ServerOptions()
        options.port = port
        options.address = address
        options.xheaders = xheaders
        options.trustedDownstream = trustedDownstream
        options.processes = processes
        options.maxRestarts = maxRestarts
        options.eventLoops = eventLoops
        options.debug = debug
        options.autoreload = autoreload
        options.cookieSecret = cookieSecret
        options.logging = logging
        options.logFilePrefix = logFilePrefix
        options.logRotateMode = logRotateMode
        options.logFileMaxSize = logFileMaxSize
        options.logFileNumBackups = logFileNumBackups
        options.logRotateWhen = logRotateWhen
        options.logRotateInterval = logRotateInterval
        options.certfile = certfile
        options.keyfile = keyfile
        return options
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
