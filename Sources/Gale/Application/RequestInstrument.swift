/// Watches every request an application serves, in every mode (Gale's server, FastCGI, CGI):
/// what metrics and tracing plug into. Installed with `Settings.instruments`; `GaleMetrics`
/// and `GaleTracing` provide the instruments for swift-metrics and swift-distributed-tracing.
///
/// Each request that gets a handler (a 404 and a refused request included) is started once and
/// ended exactly once: when it finishes (the access log line), or, when it never does because
/// the client left or the handler was dropped unfinished, when its handler goes away. A
/// request routed into a `FallbackHandler`'s application is seen by that application's
/// instruments. Beyond Tornado, whose nearest hook is `log_function`.
public protocol RequestInstrument: Sendable {
    /// The request's handler exists and is about to run. What this returns is handed back to
    /// `withRequest` and `requestEnded` for the same request (a span, a gauge to decrement): an
    /// object, since telling a class apart costs far less than opening any other existential.
    func requestStarted(_ handler: RequestHandler) -> (any AnyObject & Sendable)?

    /// Runs the handler's own code for the request (its checks, `prepare`, the method, its
    /// `finish`): a tracer binds its span's context here, so what the handler calls joins the
    /// trace. The default just runs `body`.
    func withRequest(_ state: (any AnyObject & Sendable)?, _ body: () -> Void)

    /// `withRequest` for an `AsyncRequestHandler`.
    func withRequest(_ state: (any AnyObject & Sendable)?, _ body: () async -> Void) async

    /// The request ended; `state` is what `requestStarted` returned.
    func requestEnded(_ end: RequestEnd, state: (any AnyObject & Sendable)?)
}

extension RequestInstrument {
    public func requestStarted(_ handler: RequestHandler) -> (any AnyObject & Sendable)? { nil }

    public func withRequest(_ state: (any AnyObject & Sendable)?, _ body: () -> Void) { body() }

    public func withRequest(_ state: (any AnyObject & Sendable)?, _ body: () async -> Void) async { await body() }
}

/// How a request ended, as an instrument is told.
public struct RequestEnd: Sendable {
    /// The pattern of the route that served it (`RequestHandler.routePattern`); `nil` for a
    /// path no route matched and for the default handler. Never the request's path: a label
    /// made of paths would grow without bound.
    public var routePattern: String?
    /// The request method, as sent.
    public var method: String
    /// The status sent; `499` (nginx's "client closed request") when the request ended without
    /// an answer (`completed` is `false`).
    public var status: Int
    /// From the first byte of the request to its end.
    public var duration: Duration
    /// Whether the response was finished; `false` when the client left first or the handler
    /// was dropped without finishing.
    public var completed: Bool

    /// Creates an end record (for instruments' own tests).
    public init(routePattern: String?, method: String, status: Int, duration: Duration, completed: Bool) {
        self.routePattern = routePattern
        self.method = method
        self.status = status
        self.duration = duration
        self.completed = completed
    }

    /// The status as `"2xx"`, `"4xx"`...: the label metrics group by. A status below 100
    /// counts as `1xx`, one of 600 or more as `5xx`.
    public var statusClass: String { "\(statusClassDigit)xx" }

    /// The status class's digit, 1 to 5 (`statusClass`).
    public var statusClassDigit: Int { min(max(status / 100, 1), 5) }
}
