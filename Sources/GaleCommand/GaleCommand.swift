import ArgumentParser
import Gale
import GaleServer

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
    /// Builds the application for the given options (`debug` and the resolved
    /// `cookieSecret` among them).
    static func makeApplication(server: ServerOptions, options: Options) throws -> Application
}

/// For apps without options of their own.
public struct NoOptions: ParsableArguments {
    public init() {}
}

extension GaleApp {
    public static var commandName: String { String(describing: Self.self).lowercased() }

    /// Parses the command line and runs the chosen mode; exits on bad arguments. Started by a
    /// CGI host (`GATEWAY_INTERFACE` set) with no arguments, it runs as `cgi`.
    public static func main() {
        let environment = CookieSecret.processEnvironment()
        if environment["GATEWAY_INTERFACE"] != nil && CommandLine.arguments.count == 1 {
            GaleCommand<Self>.main(["cgi"])
        } else {
            GaleCommand<Self>.main()
        }
    }
}

/// The root command: `serve` (the default) and, as they land, the other modes.
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

        @OptionGroup public var server: ServerOptions
        @OptionGroup public var options: App.Options

        public init() {}

        public func run() throws {
            server.bootstrapLogging()
            var server = self.server
            server.cookieSecret = try CookieSecret.resolve(
                given: server.cookieSecret, appName: App.commandName, environment: CookieSecret.processEnvironment())
            let application = try App.makeApplication(server: server, options: options)
            try server.serve(application)
        }
    }
}
