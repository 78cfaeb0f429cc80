import Dispatch
import Logging
import Synchronization

/// A web application: the route table and the settings, shared by every request.
///
/// Tornado: `tornado.web.Application`. An `Application` is a value; any transport (the NIO
/// server, FastCGI, CGI, the in-memory test client) hands it requests through `dispatch`.
///
/// ```swift
/// let app = try Application([("/", MainHandler.self)])
/// try app.listen(8888)            // import GaleServer
/// IOLoop.current.start()
/// ```
public struct Application: Sendable {
    /// Everything in one shared box: a handler keeps a copy of its application, and copying
    /// one reference per request is cheaper than copying each field.
    private final class Storage: Sendable {
        let settings: Settings
        let router: Router
        let logger: Logger
        let accessLogger: Logger
        let staticFiles: StaticFileCache
        let statistics: ProcessStatistics
        /// One template loader per template directory, made on first use.
        let templateLoaders = Mutex<[String: TemplateLoader]>([:])
        /// `settings.effectiveServeTraceback`, read on every request without copying `settings`.
        let tracesErrors: Bool
        /// `settings.instruments`, read on every request without copying `settings`.
        let instruments: [any RequestInstrument]
        /// Whether state-changing requests are checked (`xsrfCookies` or
        /// `crossOriginProtection`), read on every request.
        let guardsStateChanges: Bool
        /// The headers every response starts with (`RequestHandler.defaultHeaders`), made once:
        /// copying `settings` to make them cost each request about 1,500 instructions.
        let defaultResponseHeaders: HTTPHeaders

        init(
            settings: Settings, router: Router, logger: Logger, accessLogger: Logger, staticFiles: StaticFileCache,
            statistics: ProcessStatistics
        ) {
            self.settings = settings
            self.router = router
            self.logger = logger
            self.accessLogger = accessLogger
            self.staticFiles = staticFiles
            self.statistics = statistics
            self.tracesErrors = settings.effectiveServeTraceback
            self.instruments = settings.instruments
            self.guardsStateChanges = settings.xsrfCookies || settings.crossOriginProtection
            self.defaultResponseHeaders = RequestHandler.defaultHeaders(settings)
        }

        /// A copy with other loggers or routes (the application is a value; its storage never
        /// changes).
        func with(logger: Logger? = nil, accessLogger: Logger? = nil, router: Router? = nil) -> Storage {
            Storage(
                settings: settings, router: router ?? self.router, logger: logger ?? self.logger,
                accessLogger: accessLogger ?? self.accessLogger, staticFiles: staticFiles, statistics: statistics)
        }
    }

    private var storage: Storage

    /// What the transport running the application offers: every feature under Gale's own
    /// server; none of the async ones under FastCGI and CGI (see `runningUnder(_:)`).
    public private(set) var runtime = Runtime.asyncServer

    /// The settings given at creation.
    public var settings: Settings { storage.settings }
    var router: Router { storage.router }
    /// Whether requests run with `ErrorTrace.isCapturing` on and error pages show what went
    /// wrong (`Settings.serveTraceback`).
    package var tracesErrors: Bool { storage.tracesErrors }
    /// `Settings.instruments`.
    package var instruments: [any RequestInstrument] { storage.instruments }
    /// Whether POST, PUT, PATCH and DELETE are checked before `prepare()` (`xsrfCookies`,
    /// `crossOriginProtection`).
    var guardsStateChanges: Bool { storage.guardsStateChanges }
    /// The headers every response starts with, before `setDefaultHeaders()`.
    var defaultResponseHeaders: HTTPHeaders { storage.defaultResponseHeaders }

    /// Errors in handlers. Tornado: the `tornado.application` logger.
    public var logger: Logger {
        get { storage.logger }
        set { storage = storage.with(logger: newValue) }
    }

    /// One line per finished request. Tornado: the `tornado.access` logger.
    public var accessLogger: Logger {
        get { storage.accessLogger }
        set { storage = storage.with(accessLogger: newValue) }
    }

    /// The content hashes and resolved paths of static files (`staticURL` versions, ETags).
    public var staticFiles: StaticFileCache { storage.staticFiles }

    /// Requests served and in flight in this process, counted by Gale's own server.
    public var statistics: ProcessStatistics { storage.statistics }

    /// Creates an application from routes, tried in order. With `staticPath` set, routes for
    /// `staticURLPrefix`, `/favicon.ico` and `/robots.txt` come first, as in Tornado. Without
    /// routes (`Application(settings: settings)`), every route comes from `addHandlers`.
    public init(_ handlers: [URLSpec] = [], settings: Settings = Settings()) {
        storage = Storage(
            settings: settings,
            router: Router(Self.staticRoutes(settings) + handlers),
            logger: Logger(label: "gale.application"),
            accessLogger: Logger(label: "gale.access"),
            staticFiles: StaticFileCache(),
            statistics: ProcessStatistics())
    }

    private static func staticRoutes(_ settings: Settings) -> [URLSpec] {
        guard let staticPath = settings.staticPath else { return [] }
        var arguments = settings.staticHandlerArgs
        arguments.path = staticPath
        let prefix = RoutePattern.escape(settings.staticURLPrefix)
        return [#"\#(prefix)(.*)"#, #"/(favicon\.ico)"#, #"/(robots\.txt)"#].compactMap { pattern in
            try? URLSpec(pattern, settings.staticHandlerClass, arguments)
        }
    }

    /// Creates an application from `(pattern, handler)` pairs, as in Tornado's guide's
    /// `Application([(r"/", MainHandler)])`.
    public init(_ handlers: [(String, RequestHandler.Type)], settings: Settings = Settings()) throws {
        self.init(try handlers.map { try URLSpec($0.0, $0.1) }, settings: settings)
    }

    /// The routes for any host, in matching order: those given at creation (after the static
    /// file routes). The routes of `addHandlers` are in `hostHandlers`.
    public var handlers: [URLSpec] { Array(router.anyHostSpecs) }

    /// The virtual hosts' routes, in the order `addHandlers` added them.
    public var hostHandlers: [HostHandlers] {
        router.hostGroups.map { HostHandlers(hostPattern: $0.pattern.source, handlers: Array(router.specs(of: $0))) }
    }

    /// Adds routes served only for hosts that `hostPattern` matches: virtual hosts. Tornado:
    /// `add_handlers(host_pattern, host_handlers)`.
    ///
    /// ```swift
    /// var app = Application(settings: settings)
    /// try app.addHandlers(#"(www\.)?example\.com"#, [try URLSpec("/", HomeHandler.self)])
    /// ```
    ///
    /// The pattern is a regular expression that must match the whole host name: the `Host`
    /// header lower-cased, without its port (`127.0.0.1` when absent; Tornado:
    /// `request.host_name`). A request is routed through the groups whose pattern matches its
    /// host, in the order added (a group that has no route for the path passes to the next),
    /// then through the routes given at creation, which serve every host, then, unless the
    /// request has an `X-Real-Ip` header (it came through a proxy), through the groups whose
    /// pattern matches the `defaultHost` setting; then `defaultHandler`, else 404.
    ///
    /// To refuse requests for other hosts (a DNS rebinding attack sends your server a host name
    /// it does not serve), give every route in a group, give none at creation, and leave
    /// `defaultHost` unset: a request with a forged `Host` then gets 404. Throws when the pattern
    /// is not a valid regular expression.
    public mutating func addHandlers(_ hostPattern: String, _ handlers: [URLSpec]) throws {
        let pattern = try HostPattern(hostPattern)
        let router = router.addingHostGroup(pattern, handlers, defaultHost: settings.defaultHost)
        storage = storage.with(router: router)
    }

    /// Adds `(pattern, handler)` routes for the hosts `hostPattern` matches, as in Tornado's
    /// `add_handlers(r"www\.example\.com", [(r"/", MainHandler)])`.
    public mutating func addHandlers(_ hostPattern: String, _ handlers: [(String, RequestHandler.Type)]) throws {
        try addHandlers(hostPattern, try handlers.map { try URLSpec($0.0, $0.1) })
    }

    /// The path for the route called `name`, with `arguments` in its groups.
    /// Tornado: `reverse_url(name, *args)`.
    public func reverseURL(_ name: String, _ arguments: String...) throws(ReverseURLError) -> String {
        try reverseURL(name, arguments: arguments)
    }

    /// The path for the route called `name`, with `arguments` in its groups.
    public func reverseURL(_ name: String, arguments: [String]) throws(ReverseURLError) -> String {
        guard let spec = router.spec(named: name) else {
            throw ReverseURLError("no route named \(name)")
        }
        return try spec.reverse(arguments)
    }

    /// The same application, marked as run by `runtime`; a handler that reaches a feature
    /// the runtime lacks gets `UnavailableFeature` (a 500 naming it) instead of a hang.
    public func runningUnder(_ runtime: Runtime) -> Application {
        var copy = self
        copy.runtime = runtime
        return copy
    }

    /// Checks the settings a server must not start with (`Settings.startupProblems()`):
    /// throws for errors, logs warnings. Gale's server, FastCGI and CGI call it at start.
    public func checkStartup() throws(StartupError) {
        let (errors, warnings) = settings.startupProblems()
        for warning in warnings { logger.warning("\(warning)") }
        if !errors.isEmpty { throw StartupError(problems: errors) }
    }

    /// Compiles every route's regex now rather than on its first match. Long-running servers
    /// (Gale's own, FastCGI) call this at start; a CGI process, which serves one request,
    /// does not.
    package func compileRoutes() {
        router.compile()
    }

    /// The loader for templates in `path`, made by `make` the first time. Tornado keeps them
    /// per path on `RequestHandler`.
    func templateLoader(for path: String, make: () -> TemplateLoader) -> TemplateLoader {
        storage.templateLoaders.withLock { loaders in
            if let loader = loaders[path] { return loader }
            let loader = make()
            loaders[path] = loader
            return loader
        }
    }

    /// The handler class that would serve `path` for `host` (the default handler when no route
    /// matches), so a gateway can check what it needs before running it. `host` is a `Host`
    /// header; `nil` routes as a request without one.
    public func handlerClass(forPath path: String, host: String? = nil) -> RequestHandler.Type? {
        route(path: path, host: host, hasRealIP: false).handlerType
    }

    /// Serves one request: finds its handler, runs it to its end, and sends the answer to
    /// `writer`. The in-memory test client and tools call this; Gale's server and the gateways
    /// drive the steps themselves (`route`, `makeHandler`) to own the request's task.
    ///
    /// A plain handler that `runsOnThreadPool()` (it blocks: a database, a slow hash) runs on a
    /// thread of Dispatch's global queue, as Gale's server runs it on its thread pool, so that
    /// the caller's thread (one of the few of Swift's cooperative pool) stays free.
    public func dispatch(_ request: ServerRequest, to writer: any ResponseWriter) async {
        let route = route(for: request)
        guard route.streamsRequestBody else {
            let handler = makeHandler(route, for: request, writer: writer)
            guard !(handler is AsyncRequestHandler), handler.runsOnThreadPool() else { return await handler.run() }
            let job = HandedOver(handler)
            return await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    job.handler.execute()
                    continuation.resume()
                }
            }
        }
        // A streaming handler takes even a body that is already whole as chunks.
        var headOnly = request
        headOnly.body = []
        let handler = makeHandler(route, for: headOnly, writer: writer)
        (handler as? AsyncRequestHandler)?.bodySource = WholeBody(request.body)
        await handler.run()
    }

    /// The route for a request's `path`, before any handler exists: what a transport must know
    /// when a request's head arrives (its body limit, whether its body streams). With virtual
    /// hosts (`addHandlers`) it also depends on the `Host` header (`host`) and on whether an
    /// `X-Real-Ip` header was sent (`hasRealIP`); an application without them never evaluates
    /// either. A route to a `FallbackHandler` is followed into its application's routes.
    package func route(path: String, host: @autoclosure () -> String?, hasRealIP: @autoclosure () -> Bool) -> Route {
        let found = router.match(path, host: host, hasRealIP: hasRealIP)
        guard let factory = found?.factory ?? settings.defaultHandler else { return Route(factory: nil, match: nil) }
        if let fallback = factory.fallback {
            var route = fallback.route(path: path, host: host(), hasRealIP: hasRealIP())
            if route.application == nil { route.application = fallback }
            return route
        }
        return Route(factory: factory, match: found)
    }

    /// The route for `request` (`route(path:host:hasRealIP:)`).
    package func route(for request: ServerRequest) -> Route {
        route(path: request.path, host: request.headers["Host"], hasRealIP: request.headers.contains("X-Real-Ip"))
    }

    /// Every route a request can reach, for start-up checks: the routes for any host, each
    /// virtual host's (`hostPattern pattern`), the default handler, and, in place of a route
    /// to a `FallbackHandler`, its application's routes (`pattern -> inner`), with the handler
    /// class that serves each.
    package func routeTable() -> [(route: String, handlerType: RequestHandler.Type)] {
        func entries(_ label: String, _ factory: HandlerFactory) -> [(route: String, handlerType: RequestHandler.Type)]
        {
            guard let fallback = factory.fallback else { return [(label, factory.handlerType)] }
            return fallback.routeTable().map { ("\(label) -> \($0.route)", $0.handlerType) }
        }
        var table = router.anyHostSpecs.flatMap { entries($0.pattern, $0.factory) }
        for group in router.hostGroups {
            table += router.specs(of: group).flatMap { entries("\(group.pattern.source) \($0.pattern)", $0.factory) }
        }
        if let fallback = settings.defaultHandler { table += entries("(default handler)", fallback) }
        return table
    }

    /// Creates the handler for `request` on `route`, attached to `writer`. A handler that fails
    /// to initialize, or a path with no route, gets an `ErrorHandler` that answers 500 or 404.
    /// A route into a fallback application gets that application's handler, run as this one is
    /// (`runtime`).
    package func makeHandler(_ route: Route, for request: ServerRequest, writer: any ResponseWriter)
        -> RequestHandler
    {
        if let serving = route.application {
            var inner = route
            inner.application = nil
            return serving.runningUnder(runtime).makeHandler(inner, for: request, writer: writer)
        }
        guard let factory = route.factory else {
            let handler = ErrorHandler(application: self, request: request, writer: writer, status: 404)
            handler.startInstruments()
            return handler
        }
        do {
            let handler =
                if tracesErrors {
                    // `initialize()` is the handler's code too: its errors get a stack.
                    try ErrorTrace.$isCapturing.withValue(true) {
                        try factory.makeHandler(application: self, request: request)
                    }
                } else {
                    try factory.makeHandler(application: self, request: request)
                }
            handler.attach(writer: writer, match: route.match)
            handler.startInstruments()
            return handler
        } catch {
            let handler = ErrorHandler(application: self, request: request, writer: writer, status: 500)
            handler.initializeError = error
            handler.failedHandlerType = factory.handlerType
            handler.routeIndex = route.match?.index
            handler.startInstruments()
            return handler
        }
    }

    /// Writes the access log line for a finished request. Tornado: `log_request`.
    func logRequest(_ handler: RequestHandler) {
        handler.endInstruments()
        if let logFunction = settings.logFunction {
            logFunction(handler)
            return
        }
        let status = handler.status
        let level: Logger.Level = status < 400 ? .info : status < 500 ? .warning : .error
        guard accessLogger.logLevel <= level else { return }
        let milliseconds =
            Double(handler.request.requestTime.components.attoseconds) / 1e15
            + Double(handler.request.requestTime.components.seconds) * 1000
        accessLogger.log(
            level: level,
            "\(status) \(handler.requestSummary) \(Self.formatMilliseconds(milliseconds))")
    }

    /// `0.41ms`: two decimals, as Tornado's `%.2fms`.
    static func formatMilliseconds(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)ms"
    }
}

/// Settings a server refuses to start with, each named with what to change.
public struct StartupError: Error, Sendable, CustomStringConvertible {
    /// One line per problem.
    public var problems: [String]

    public var description: String {
        "cannot start: " + problems.joined(separator: "; ")
    }
}

/// A request's route, found from its path before the handler exists.
package struct Route {
    let factory: HandlerFactory?
    let match: Router.Match?
    /// The application that serves the request when a `FallbackHandler` handed it on; `nil`
    /// for the one routing it.
    var application: Application? = nil

    /// The handler class that will serve the request; `nil` when no route matches (404).
    package var handlerType: RequestHandler.Type? { factory?.handlerType }

    /// The body limit the handler sets, if any (`RequestHandler.maxBodySize`).
    package var maxBodySize: Int? { handlerType?.maxBodySize }

    /// Whether the handler takes its body in chunks as it arrives
    /// (`AsyncRequestHandler.streamRequestBody`).
    package var streamsRequestBody: Bool {
        (handlerType as? AsyncRequestHandler.Type)?.streamRequestBody ?? false
    }
}

/// The routes of one virtual host, as `Application.addHandlers` added them. Tornado: a
/// `Rule(HostMatches(host_pattern), _ApplicationRouter(host_handlers))`.
public struct HostHandlers: Sendable {
    /// The host pattern as written.
    public let hostPattern: String
    /// The routes, in matching order.
    public let handlers: [URLSpec]
}
