/// Hands the requests of its route to another `Application`, which serves them as if they had
/// been sent to it: through its own routes, default handler and 404, with its own settings and
/// logs, writing to the same response. Tornado: `tornado.web.FallbackHandler`, which hands
/// requests to another server callback (a `WSGIContainer`, another `Application`).
///
/// ```swift
/// let legacy = Application([try URLSpec("/old/(.*)", OldHandler.self)], settings: legacySettings)
/// let app = Application([
///     try URLSpec("/", HomeHandler.self),
///     try URLSpec(".*", FallbackHandler.self, .init(fallback: legacy)),
/// ])
/// ```
///
/// The request is passed on whole: its path is not shortened by the route's pattern. Where
/// Tornado's handler calls the fallback from `prepare()`, Gale follows the route into the other
/// application while routing, before any handler exists, so the transport sees the handler that
/// will really serve the request: its body limit, whether it streams its body, whether it is
/// `async` (FastCGI and CGI answer such a route 501, and their start-up check names it as
/// `.* -> /old/(.*)`). No `FallbackHandler` is ever made, so it has nothing to override.
public final class FallbackHandler: RequestHandler, InitializableHandler {
    /// What the route passes. Tornado: `dict(fallback=app)`.
    public struct InitializeArguments: Sendable {
        /// The application that serves the requests.
        public var fallback: Application

        /// Hands the route's requests to `fallback`.
        public init(fallback: Application) {
            self.fallback = fallback
        }
    }

    /// Part of `InitializableHandler`; the application in `arguments` is taken when routing.
    public func initialize(_ arguments: InitializeArguments) {}

    /// Never reached through a route (see the type's documentation); a handler made some other
    /// way fails the request rather than answer for an application it cannot run.
    override public func prepare() throws {
        throw ProgrammerError(
            "FallbackHandler is followed when routing; make it only through a URLSpec or HandlerFactory")
    }
}
