import ArgumentParser
import Gale
import GaleServer

/// An application that the ready-made command line can run.
///
/// ```swift
/// @main
/// struct FriendFeed: GaleApp {
///     static func makeApplication(options: ServerOptions) throws -> Application { ... }
/// }
/// ```
/// `friendfeed serve --port 8000` (or just `friendfeed --port 8000`) then serves it. The
/// FastCGI, CGI and one-shot `request` modes join as subcommands of the same command.
public protocol GaleApp {
    /// The command's name in help output; the type's name, lowercased, by default.
    static var commandName: String { get }
    /// Builds the application for the given options (`debug` among them).
    static func makeApplication(options: ServerOptions) throws -> Application
}

extension GaleApp {
    public static var commandName: String { String(describing: Self.self).lowercased() }

    /// Parses the command line and runs the chosen mode; exits on bad arguments.
    public static func main() {
        GaleCommand<Self>.main()
    }
}

/// The root command: `serve` (the default) and, as they land, the other modes.
public struct GaleCommand<App: GaleApp>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: App.commandName,
            abstract: "Serve the \(App.commandName) application.",
            subcommands: [Serve.self],
            defaultSubcommand: Serve.self
        )
    }

    public init() {}

    /// `serve`: Gale's own HTTP/1.1 server.
    public struct Serve: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: "Serve over HTTP with Gale's own server.")
        }

        @OptionGroup public var options: ServerOptions

        public init() {}

        public func run() throws {
            options.bootstrapLogging()
            let application = try App.makeApplication(options: options)
            try options.serve(application)
        }
    }
}
