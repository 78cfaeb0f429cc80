import ArgumentParser
import Gale
import GaleFastCGI

#if FastCGI
    import Logging

    #if canImport(Glibc)
        import Glibc
    #endif
#endif

extension GaleCommand {
    #if FastCGI
        /// `fastcgi`: serves a FastCGI host on a unix socket, a TCP address, or the socket the
        /// host passed on file descriptor 0 (neither option given: spawn-fcgi, lighttpd `bin-path`).
        public struct FastCGI: ParsableCommand {
            public static var configuration: CommandConfiguration {
                CommandConfiguration(
                    commandName: "fastcgi", abstract: "Serve a FastCGI host (nginx, lighttpd, Apache).")
            }

            @OptionGroup var serverArguments: ServerArguments
            /// The server options given.
            public var server: ServerOptions { serverArguments.options }
            @OptionGroup public var options: App.Options
            @Option(help: "Listen on this unix socket path.") public var socket: String?
            @Option(help: "The unix socket's permissions, in octal.") public var socketMode: String = "660"
            @Option(help: "Listen on this TCP address, host:port (e.g. 127.0.0.1:9000).") public var bind: String?
            @Option(help: "Worker threads (default: one per CPU).") public var threads: Int?
            @Flag(help: "Answer routes FastCGI cannot serve with 501 instead of refusing to start.")
            public var serveRest = false

            public init() {}

            public func run() throws {
                let gateway = try makeGateway(
                    App.self, server: server, options: options, serveRest: serveRest, mode: "FastCGI")
                let listen: FastCGIServer.Listen
                if let socket {
                    guard let mode = mode_t(socketMode, radix: 8) else {
                        throw ValidationError("--socket-mode must be octal, e.g. 660")
                    }
                    listen = .unixSocket(path: socket, mode: mode)
                } else if let bind {
                    listen = .tcp(bind)
                } else {
                    listen = .inherited
                }
                let fastCGI: FastCGIServer
                if let threads {
                    fastCGI = try FastCGIServer(gateway: gateway, listen: listen, threads: threads)
                } else {
                    fastCGI = try FastCGIServer(gateway: gateway, listen: listen)
                }
                gateway.application.logger.info("serving FastCGI on \(socket ?? bind ?? "the inherited socket")")
                fastCGI.run()
            }
        }
    #else
        /// `fastcgi` in a build made without Gale's `FastCGI` trait, so without libfcgi: hidden from
        /// the help, it stops at start-up with a message saying what this build lacks and how to get
        /// it. Without it, `app fastcgi --socket ...` would reach `serve` (the default subcommand)
        /// and fail there with ArgumentParser's "unexpected argument", which tells an operator
        /// nothing; and the type stays, so enabling the trait adds API and removes none.
        public struct FastCGI: ParsableCommand {
            public static var configuration: CommandConfiguration {
                CommandConfiguration(
                    commandName: "fastcgi", abstract: "Not in this build: Gale's FastCGI trait is off.",
                    shouldDisplay: false)
            }

            /// Whatever was given for the real command (`--socket`, `--bind`, ...): the message
            /// is the same.
            @Argument(parsing: .allUnrecognized) var ignored: [String] = []

            public init() {}

            public func run() throws {
                throw CommandError(
                    """
                    \(App.commandName) was built without Gale's FastCGI trait, so it cannot serve \
                    FastCGI (libfcgi is not linked in). Serve with `\(App.commandName) serve` (HTTP, \
                    behind nginx's proxy_pass) or as a CGI script (`cgi`), or build the app with the \
                    trait: .package(..., traits: ["FastCGI"]) in its Package.swift, with libfcgi-dev \
                    installed.
                    """)
            }
        }
    #endif
}
