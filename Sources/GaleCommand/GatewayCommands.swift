import ArgumentParser
import Gale
import GaleFastCGI
import Logging

extension GaleCommand {
    /// `cgi`: one request from the CGI environment and standard input, the answer on standard
    /// output. Chosen automatically when `GATEWAY_INTERFACE` is set and no subcommand is given.
    public struct CGI: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "cgi", abstract: "Serve one request as a CGI script.")
        }

        @OptionGroup var serverArguments: ServerArguments
        /// The server options given.
        public var server: ServerOptions { serverArguments.options }
        @OptionGroup public var options: App.Options
        @Flag(
            help: "Answer routes CGI cannot serve (async handlers, WebSockets) with 501 instead of refusing to start.")
        public var serveRest = false

        public init() {}

        public func run() throws {
            try Self.serve(server: server, options: options, serveRest: serveRest)
        }

        /// Serves the request as a CGI host starts a script, with no arguments: the default
        /// options, logging warnings and errors only (the host keeps its own access log).
        /// Parses no command line, so ArgumentParser's reflection stays out of every request.
        static func runAsScript() {
            do {
                var server = ServerOptions()
                server.logging = .warning
                try serve(
                    server: server, options: (NoOptions() as? App.Options) ?? App.Options.parse([]), serveRest: false)
            } catch {
                exit(withError: error)
            }
        }

        static func serve(server: ServerOptions, options: App.Options, serveRest: Bool) throws {
            let environment = CookieSecret.processEnvironment()
            let gateway = try makeGateway(
                App.self, server: server, options: options, serveRest: serveRest, environment: environment,
                generateSecret: false)
            gateway.handle(
                variables: environment, readBody: StandardStreams.read,
                output: StandardStreams.Output())
        }
    }

    /// `request`: runs one request through the CGI path and prints the raw answer, so an app
    /// can be tried from a shell with no server at all.
    public struct Request: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: "Run one request through the CGI path and print the answer.",
                discussion: "Example: request GET '/path?x=1' -H 'Cookie: a=b' -d 'name=value'")
        }

        @OptionGroup var serverArguments: ServerArguments
        /// The server options given.
        public var server: ServerOptions { serverArguments.options }
        @OptionGroup public var options: App.Options
        @Argument(help: "The method, e.g. GET.") public var method: String
        @Argument(help: "The target: path and query.") public var target: String
        @Option(name: .customShort("H"), help: "A header, 'Name: value' (repeatable).") public var header: [String] = []
        @Option(name: .customShort("d"), help: "The request body.") public var data: String?
        @Flag(help: "Answer routes CGI cannot serve with 501 instead of refusing.") public var serveRest = false

        public init() {}

        public func run() throws {
            let gateway = try makeGateway(App.self, server: server, options: options, serveRest: serveRest)
            let variables = try Self.variables(method: method, target: target, headers: header, body: data)
            let body = Array((data ?? "").utf8)
            gateway.handle(
                variables: variables, readBody: { Array(body.prefix($0)) }, output: StandardStreams.Output())
        }

        /// The CGI variables a web server would set for this request.
        static func variables(method: String, target: String, headers: [String], body: String?) throws
            -> [String: String]
        {
            guard target.hasPrefix("/") else { throw ValidationError("the target must start with /: \(target)") }
            var fields = HTTPHeaders()
            for header in headers {
                guard let colon = header.firstIndex(of: ":") else {
                    throw ValidationError("a header needs 'Name: value': \(header)")
                }
                fields.add(String(header[..<colon]), String(header[header.index(after: colon)...].drop { $0 == " " }))
            }
            fields.remove("Content-Length")  // the body given decides it
            if body != nil && !fields.contains("Content-Type") {
                fields.add("Content-Type", "application/x-www-form-urlencoded")
            }
            let length = body?.utf8.count ?? 0
            var variables = GatewayRequestBuilder.variables(
                method: method.uppercased(), target: target, headers: fields, bodyLength: length)
            if body != nil { variables["CONTENT_LENGTH"] = String(length) }
            return variables
        }
    }
}

/// Builds the CGI gateway, refusing to start when routes need what CGI lacks (unless
/// `serveRest`), with a message naming each.
func makeGateway<App: GaleApp>(
    _ app: App.Type, server: ServerOptions, options: App.Options, serveRest: Bool, mode: String = "CGI",
    environment: [String: String] = CookieSecret.processEnvironment(), generateSecret: Bool = true
) throws -> SynchronousGateway {
    try server.bootstrapLogging()
    var server = server
    server.cookieSecret = try App.cookieSecret(
        given: server.cookieSecret, environment: environment, generate: generateSecret)
    if App.usesCookieSecret && server.cookieSecret == nil {
        // Refused now, not by the first request that signs a cookie (a bare 500).
        let variable = CookieSecret.variableName(appName: App.commandName)
        throw CommandError(
            "\(App.commandName) signs cookies, and this \(mode) run has no cookie secret: set \(variable) in the "
                + "host's environment (or pass --cookie-secret). A \(mode) script makes no development secret.")
    }
    let application = try App.makeApplication(server: server, options: options)
    if mode == "CGI" { try application.checkStartup() }  // FastCGIServer's init checks it for FastCGI
    let gateway = SynchronousGateway(
        application: application, serveRest: serveRest,
        runtimeName: mode)
    let refusals = gateway.refusals
    if !refusals.isEmpty && !serveRest {
        throw CommandError(SynchronousModeCheck.message(for: refusals, mode: mode))
    }
    return gateway
}
