import ArgumentParser
import Gale
import GaleServer

#if canImport(Glibc)
    import Glibc
#endif

/// An application that the ready-made command line can run.
///
/// ```swift
/// @main
/// struct FriendFeed: GaleApp {
///     struct Options: ParsableArguments { @Option var staticPath = "static" }
///     static func makeApplication(server: ServerOptions, options: Options) throws -> Application { ... }
/// }
/// ```
/// `friendfeed serve --port 8000` (or just `friendfeed --port 8000`) then serves it. The
/// FastCGI, CGI and one-shot `request` modes join as subcommands of the same command.
public protocol GaleApp {
    /// The app's own command-line options, beside the server's.
    associatedtype Options: ParsableArguments = NoOptions
    /// The command's name in help output and in `NAME_COOKIE_SECRET`; the type's name,
    /// lowercased, by default.
    static var commandName: String { get }
    /// Whether the app signs cookies with `cookieSecret`; when no secret is configured, `serve`,
    /// `fastcgi` and `request` then make a development one in `.gale/`. True by default.
    static var usesCookieSecret: Bool { get }
    /// Builds the application for the given options (`debug` and the resolved
    /// `cookieSecret` among them).
    static func makeApplication(server: ServerOptions, options: Options) throws -> Application
}

/// For apps without options of their own.
public struct NoOptions: ParsableArguments {
    public init() {}
}

extension GaleApp {
    // `_typeName` rather than `String(describing:)`, which reflects: a CGI start-up pays for it.
    public static var commandName: String { _typeName(Self.self, qualified: false).lowercased() }
    public static var usesCookieSecret: Bool { true }

    /// The secret the app runs with: `CookieSecret.resolve` when it signs cookies, else only
    /// one given on the command line.
    static func cookieSecret(given: String?, environment: [String: String], generate: Bool) throws -> String? {
        guard usesCookieSecret else { return given }
        return try CookieSecret.resolve(
            given: given, appName: commandName, environment: environment, generate: generate)
    }

    /// Parses the command line and runs the chosen mode; exits on bad arguments. Started by a
    /// CGI host (`GATEWAY_INTERFACE` set) with no arguments, it runs as `cgi`.
    public static func main() {
        if getenv("GATEWAY_INTERFACE") != nil && CommandLine.argc == 1 {
            GaleCommand<Self>.CGI.runAsScript()
        } else {
            do {
                GaleCommand<Self>.main(try ConfigFile.expand(Array(CommandLine.arguments.dropFirst())))
            } catch {
                GaleCommand<Self>.exit(withError: ValidationError(error.description))
            }
        }
    }
}

/// The root command: `serve` (the default), `fastcgi`, `cgi` and `request`. `fastcgi` serves only
/// when Gale is built with its `FastCGI` trait (the default); without it, it is hidden and says so.
public struct GaleCommand<App: GaleApp>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: App.commandName,
            abstract: "Serve the \(App.commandName) application.",
            subcommands: [Serve.self, FastCGI.self, CGI.self, Request.self],
            defaultSubcommand: Serve.self
        )
    }

    public init() {}

    /// `serve`: Gale's own HTTP/1.1 server.
    public struct Serve: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Serve over HTTP with Gale's own server.")
        }

        @OptionGroup var serverArguments: ServerArguments
        /// The server options given.
        public var server: ServerOptions { serverArguments.options }
        @OptionGroup public var options: App.Options

        public init() {}

        public func run() throws {
            try server.bootstrapLogging()
            var server = self.server
            server.cookieSecret = try App.cookieSecret(
                given: server.cookieSecret, environment: CookieSecret.processEnvironment(), generate: true)
            let application = try App.makeApplication(server: server, options: options)
            try server.serve(application)
        }
    }
}
