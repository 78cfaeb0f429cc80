import Logging

/// Serves the requests of one route. Subclass it and override the methods for the HTTP
/// methods you answer; a new instance serves each request.
///
/// Tornado: `tornado.web.RequestHandler`.
///
/// ```swift
/// final class MainHandler: RequestHandler {
///     override func get() throws {
///         try write("Hello, world")
///     }
/// }
/// ```
///
/// Subclassing notes — the methods meant to be overridden: `initialize()`, `prepare()`,
/// `onFinish()`, `get()`, `head()`, `post()`, `put()`, `patch()`, `delete()`, `options()`,
/// `writeError(_:error:)`, `setDefaultHeaders()`, `decodeArgument(_:name:)`, `computeEtag()`,
/// the template hooks (`getTemplateNamespace()`, `renderLinkedJS(_:)` and its kin), and the
/// class property `supportedMethods`. For `async` methods, subclass
/// ``AsyncRequestHandler`` instead.
///
/// Path captures arrive as `pathArgs` / `pathKwargs` (Tornado passes them as method
/// arguments; Swift overrides cannot vary their signature per route).
open class RequestHandler {
    /// The application this request belongs to.
    public let application: Application
    /// The request being served.
    public let request: ServerRequest
    /// The route's unnamed captures, percent-decoded; an unmatched optional group is `""`.
    /// Tornado: `path_args`.
    public internal(set) var pathArgs: [String] = []
    /// The route's named captures, percent-decoded. Tornado: `path_kwargs`.
    public internal(set) var pathKwargs: [String: String] = [:]

    /// The status code that will be (or was) sent. Tornado: `get_status()`.
    public internal(set) var status = 200
    /// Whether the status line and headers have been sent (after the first `flush`).
    public internal(set) var headersWritten = false
    /// Whether `finish` has run. Tornado: `_finished`.
    public internal(set) var finished = false
    /// Finish the response automatically when the method returns. Set to `false` to finish
    /// later yourself (streaming from an async handler).
    public var autoFinish = true

    var reason: String?
    var responseHeaders: HTTPHeaders
    var newCookies: [String] = []
    var writeBuffer: [UInt8] = []
    var declaredLength: Int?
    var bytesSent = 0
    var writer: any ResponseWriter = DiscardingWriter()
    var rawMatch: Router.Match?
    /// The matched route's index in the router, kept after `rawMatch` is consumed.
    var routeIndex: Int?
    var argumentsCache: RequestArguments?
    var localeCache: Locale?
    /// `getCurrentUser()`'s answer once asked (`.some(nil)`: asked, no user).
    var currentUserCache: TemplateValue??
    var xsrfTokenCache: String?
    var rawXSRFTokenCache: XSRFToken?
    var cookiesCache: [String: String]?
    /// What each of `application.instruments` returned when the request started; `nil` when
    /// there are none, and again once they were told the request ended.
    var instrumentStates: InstrumentStates?
    /// The UI modules the request's templates used, by name, in first-use order (Tornado:
    /// `_active_modules`); `render` asks them for resources only when there is one.
    var activeModules: [(name: String, module: UIModule)] = []

    /// Created by the framework for each request; do not call it yourself.
    /// Put per-request set-up in `initialize` or `prepare`.
    public required init(application: Application, request: ServerRequest) {
        self.application = application
        self.request = request
        self.responseHeaders = application.defaultResponseHeaders
    }

    deinit {
        // A request dropped unfinished (its client left, or nothing ever finished it) still
        // ends once for its instruments.
        if let instrumentStates { RequestHandler.endInstruments(instrumentStates, of: application, with: abandonedEnd) }
    }

    /// The HTTP methods this handler accepts; others get 405. Tornado: `SUPPORTED_METHODS`.
    /// Narrow it to what you implement and the 405's `Allow` header is exact.
    open class var supportedMethods: [String] { RequestHandler.allMethods }

    /// Tornado's default `SUPPORTED_METHODS`, built once (the check runs on every request).
    public static let allMethods = ["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"]

    /// The runtime features this handler class needs; none for a plain handler. Override to
    /// declare, e.g., `[.asyncHTTPClient]` for a handler that fetches other URLs.
    open class var requirements: HandlerRequirements { [] }

    // MARK: Hooks

    /// Called right after creation, for handlers whose route passes no arguments.
    /// Tornado: `initialize()`.
    open func initialize() throws {}

    /// Sets the headers every response of this handler starts with. Tornado:
    /// `set_default_headers`. Called when the handler is made (before `initialize`) and again
    /// each time `clear()` resets the response, as `sendError` does before an error page, so
    /// what it sets is on every response, error pages included; a header set in the method is
    /// not on the error page that replaces its response. `Content-Type` and `Server` are set
    /// before it runs, so it may change or remove them. An error thrown when the handler is
    /// made fails the request with a 500; one thrown from `clear()` is logged.
    ///
    /// ```swift
    /// override func setDefaultHeaders() throws {
    ///     try setHeader("X-Frame-Options", "DENY")
    /// }
    /// ```
    open func setDefaultHeaders() throws {}

    /// Called before the method; may finish the request itself (then the method is skipped).
    /// Tornado: `prepare()`.
    open func prepare() throws {}

    /// Called after the response is finished, for clean-up and logging. Tornado: `on_finish()`.
    open func onFinish() {}

    /// Called when the client closes the connection while this request is still running: an
    /// async handler's long poll or streamed response. Tornado: `on_connection_close()`. (A
    /// `WebSocketHandler` hears `onClose()` instead.)
    ///
    /// Under Gale's server it runs on the connection's event loop, the thread the handler's
    /// `async` methods run on, so it may touch the handler's state without locks. The request's
    /// task is cancelled just before: an `await` on `Task.sleep`, a streamed body or `flush()`
    /// throws, so most handlers need nothing here; override it to wake what cancellation does not
    /// reach (a waiter you keep in a list). A plain handler finishes before any close is seen, and
    /// FastCGI and CGI never call it.
    open func onConnectionClose() {}

    /// The largest request body this handler accepts, in bytes; larger gets 413 before any of
    /// it is read. `nil` (the default) keeps the server's `maxBodySize`. Tornado:
    /// `self.request.connection.set_max_body_size(n)` in `prepare`, for streamed bodies.
    open class var maxBodySize: Int? { nil }

    // MARK: Methods

    /// Answers GET. Not overridden: 405.
    open func get() throws { throw methodNotAllowed() }
    /// Answers HEAD. Not overridden: 405.
    open func head() throws { throw methodNotAllowed() }
    /// Answers POST. Not overridden: 405.
    open func post() throws { throw methodNotAllowed() }
    /// Answers PUT. Not overridden: 405.
    open func put() throws { throw methodNotAllowed() }
    /// Answers PATCH. Not overridden: 405.
    open func patch() throws { throw methodNotAllowed() }
    /// Answers DELETE. Not overridden: 405.
    open func delete() throws { throw methodNotAllowed() }
    /// Answers OPTIONS. Not overridden: 405.
    open func options() throws { throw methodNotAllowed() }

    /// Writes the body of an error page; override for custom error pages.
    /// Tornado: `write_error(status_code, **kwargs)`. The default page shows the status and
    /// reason only. With `serveTraceback` on it also shows what went wrong, for every error,
    /// `HTTPError` included, as Tornado's does: the error, where it was made and the stack
    /// there (a `LocatedError`), the template line (a `TemplateError`), the handler, its route
    /// and the request line. Tornado prints the traceback as plain text; Gale's page is HTML.
    open func writeError(_ status: Int, error: (any Error)?) throws {
        if let error, application.tracesErrors {
            try finish(DebugErrorPage(handler: self, status: status, error: error).html)
        } else {
            try finish(ErrorPage.html(status: status, reason: reason))
        }
    }

    /// The signed-in user, or `nil`: usually read from a secure cookie. Called at most once a
    /// request (see `currentUser`). Tornado: `get_current_user`.
    open func getCurrentUser() throws -> TemplateValue? { nil }

    /// Where `authenticated()` sends a visitor without a user. Tornado: `get_login_url`; the
    /// default is the `loginURL` setting.
    open func getLoginURL() throws -> String {
        guard let url = application.settings.loginURL else {
            throw ProgrammerError("authenticated handlers need the loginURL setting (Tornado: login_url)")
        }
        return url
    }

    /// Refuses a POST, PUT, PATCH or DELETE whose XSRF token (the `_xsrf` argument or the
    /// `X-XSRFToken`/`X-CSRFToken` header) does not match the `_xsrf` cookie, with a 403.
    /// Runs before `prepare()` when the `xsrfCookies` setting is on. Tornado:
    /// `check_xsrf_cookie`.
    open func checkXSRFCookie() throws {
        try defaultCheckXSRFCookie()
    }

    /// Whether a state-changing request from another origin (the `Origin` header's value, such
    /// as `https://example.com`) may go on, when `crossOriginProtection` is on; `false` gets a
    /// 403. Called before `prepare()`, only for requests that look cross-origin. The default
    /// allows the origins in the `trustedOrigins` setting. Also what `WebSocketHandler`'s
    /// `checkOrigin` asks by default. Tornado 6.6: `check_trusted_origin`.
    open func checkTrustedOrigin(_ origin: String) -> Bool {
        application.settings.trustedOrigins.contains(origin)
    }

    /// The methods that need a signed-in user: without one, GET and HEAD redirect to the login
    /// page and others get 403 (`authenticated()`). Tornado: `@tornado.web.authenticated` on
    /// those methods; for one method only, call `authenticated()` at its top instead. The check
    /// is on the request's method: a `head()` that calls `get()` needs `"HEAD"` listed too.
    open class var authenticatedMethods: Set<String> { [] }

    /// The methods that want the path to end in `/`: for them a path without it is redirected
    /// (301) to the path with it, query kept, when the method is GET or HEAD, and answered 404
    /// otherwise (`addSlash()`). Tornado: `@tornado.web.addslash` on those methods. Route the
    /// handler with a pattern such as `/foo/?` so both forms reach it.
    open class var addSlashMethods: Set<String> { [] }

    /// The methods that want the path without a trailing `/`: for them `/foo/` is redirected
    /// (301) to `/foo`, query kept, when the method is GET or HEAD, and answered 404 otherwise
    /// (`removeSlash()`). Tornado: `@tornado.web.removeslash` on those methods. Route the
    /// handler with a pattern such as `/foo/*`.
    open class var removeSlashMethods: Set<String> { [] }

    /// The user's own locale (from their profile, say), or `nil` to follow the browser's
    /// `Accept-Language`. Tornado: `get_user_locale`.
    open func getUserLocale() -> Locale? { nil }

    /// The directory `render` loads templates from. Tornado: `get_template_path`.
    open func getTemplatePath() -> String? {
        application.settings.templatePath
    }

    /// Makes the loader for templates in `path` (once per path and application). Tornado:
    /// `create_template_loader`.
    open func createTemplateLoader(_ path: String) -> TemplateLoader {
        defaultTemplateLoader(path)
    }

    /// The names every template rendered by this handler sees, beside `render`'s arguments.
    /// Tornado: `get_template_namespace`; override to add your own.
    open func getTemplateNamespace() throws -> [String: TemplateValue] {
        try defaultTemplateNamespace()
    }

    /// The `<script>` elements for the UI modules' `javascriptFiles()`, which `render` puts
    /// before `</body>`. Tornado: `render_linked_js`; the default links each distinct URL once.
    open func renderLinkedJS(_ files: [String]) throws -> String { try defaultRenderLinkedJS(files) }

    /// The element holding the modules' `embeddedJavascript()`, put before `</body>` after the
    /// linked scripts. Tornado: `render_embed_js`.
    open func renderEmbedJS(_ scripts: [String]) throws -> String { defaultRenderEmbedJS(scripts) }

    /// The `<link>` elements for the modules' `cssFiles()`, put before `</head>`. Tornado:
    /// `render_linked_css`.
    open func renderLinkedCSS(_ files: [String]) throws -> String { try defaultRenderLinkedCSS(files) }

    /// The element holding the modules' `embeddedCSS()`, put before `</head>` after the linked
    /// style sheets. Tornado: `render_embed_css`.
    open func renderEmbedCSS(_ styles: [String]) throws -> String { defaultRenderEmbedCSS(styles) }

    /// Decodes a percent-decoded argument into text. Tornado: `decode_argument(value, name)`.
    /// Every query and body argument (`getArgument` and its kin) and every route capture
    /// (`pathArgs`, `pathKwargs`) goes through it; `name` is the argument's or the named
    /// group's name, `nil` for an unnamed group. The default decodes UTF-8 and answers 400
    /// "Invalid unicode in NAME" (`url` for an unnamed group) when the bytes are not UTF-8.
    /// Override it to accept another encoding; throw an `HTTPError` to refuse a value.
    open func decodeArgument(_ value: [UInt8], name: String?) throws(HTTPError) -> String {
        try defaultDecodeArgument(value, name: name)
    }

    /// The `Etag` for a finished GET/HEAD 200 response, or `nil` for none (no `Etag`, no 304).
    /// The default is the body's 64-bit xxHash in quoted hex (Tornado's `compute_etag()` uses
    /// SHA-1, ten times the cost on a small body; a tag only has to change with the body). A
    /// client that sends it back in `If-None-Match` gets a 304 without the body. `finish` asks it
    /// through `setEtagHeader()` and `checkEtagHeader()`, unless an `Etag` is set already.
    open func computeEtag() -> String? {
        let hash = writeBuffer.withUnsafeBytes(XXHash64.hash).bigEndian
        return withUnsafeBytes(of: hash) { Hex.encode($0, quoted: true) }
    }

    /// Sets the `Etag` header to `computeEtag()`; sets none when that is `nil`. Tornado:
    /// `set_etag_header`. `finish` calls it for a GET or HEAD answered 200 that has no `Etag`
    /// yet; call it earlier, with `checkEtagHeader()`, to answer 304 before doing the work:
    ///
    /// ```swift
    /// try setEtagHeader()
    /// if checkEtagHeader() { try setStatus(304); return }
    /// ```
    open func setEtagHeader() throws(ProgrammerError) {
        if let etag = computeEtag() { try setHeader("Etag", etag) }
    }

    /// Whether the request's `If-None-Match` matches the response's `Etag` header (by the weak
    /// comparison, or `*`), so a 304 should be sent. `false` when either is missing. Tornado:
    /// `check_etag_header`.
    open func checkEtagHeader() -> Bool {
        guard let noneMatch = request.headers["If-None-Match"], let etag = responseHeaders["Etag"], !etag.isEmpty
        else { return false }
        return EntityTag.noneMatch(noneMatch, matches: etag)
    }

    // MARK: Running

    /// `GET / (127.0.0.1)`: the request as the logs name it. Tornado: `_request_summary()`.
    public var requestSummary: String {
        "\(request.method) \(request.uri) (\(request.remoteIP))"
    }

    /// The error a 405 throws: with `Allow` listing `supportedMethods`.
    func methodNotAllowed() -> HTTPError {
        HTTPError(405, headers: ["Allow": Self.supportedMethods.joined(separator: ", ")])
    }

    func attach(writer: any ResponseWriter, match: Router.Match?) {
        self.writer = writer
        self.rawMatch = match
        self.routeIndex = match?.index
    }

    /// The pattern of the route that matched this request, as written; `nil` for the default
    /// handler and the 404 of an unmatched path. Tornado's handlers do not know their
    /// `URLSpec`; Gale's error page names it.
    public var routePattern: String? {
        routeIndex.map { application.router.specs[$0].pattern }
    }

    /// Whether Gale's own server runs this request on its executor's threads rather than on
    /// the connection's event loop, which meanwhile goes on serving its other connections.
    /// Return `true` from a plain handler whose methods block: a database driver with no async
    /// API, a file system that may be slow. Tornado has no such switch (blocking code there
    /// holds the IOLoop, and `run_in_executor` moves it off). Async handlers run in their own
    /// task and are not asked; under FastCGI and CGI every request has a thread of its own
    /// already. Asked once the handler is made, before `prepare()`.
    open func runsOnThreadPool() -> Bool { false }

    /// Runs the request to its end, suspending where an async handler's methods do.
    package func run() async {
        if let handler = self as? AsyncRequestHandler {
            await handler.executeAsync()
        } else {
            execute()
        }
    }

    /// Runs the request: checks, `prepare`, the method, `finish`. Tornado: `_execute`. With
    /// `serveTraceback` on, errors made meanwhile capture their stack (`ErrorTrace`).
    package func execute() {
        if instrumentStates != nil {
            withInstruments { executeTracingErrors() }
        } else {
            executeTracingErrors()
        }
    }

    private func executeTracingErrors() {
        if application.tracesErrors {
            ErrorTrace.$isCapturing.withValue(true) { executeSteps() }
        } else {
            executeSteps()
        }
    }

    private func executeSteps() {
        do {
            try checkMethodAndDecodeArguments()
            try prepare()
            if !finished, try passesSlashChecks(), try passesAuthentication() { try callMethod() }
            if autoFinish && !finished { try finish() }
        } catch {
            handleRequestException(error)
        }
    }

    func checkMethodAndDecodeArguments() throws {
        guard Self.supportedMethods.contains(request.method) else { throw methodNotAllowed() }
        try decodePathArguments()
        if application.guardsStateChanges && !["GET", "HEAD", "OPTIONS"].contains(request.method) {
            if application.settings.xsrfCookies { try checkXSRFCookie() }
            if application.settings.crossOriginProtection, let refusal = crossOriginRefusal(check: checkTrustedOrigin) {
                throw HTTPError(403, logMessage: refusal)
            }
        }
    }

    /// For `authenticatedMethods`: whether the method may run (`authenticated()`).
    func passesAuthentication() throws -> Bool {
        guard Self.authenticatedMethods.contains(request.method) else { return true }
        return try authenticated()
    }

    private func callMethod() throws {
        switch request.method {
        case "GET": try get()
        case "HEAD": try head()
        case "POST": try post()
        case "PUT": try put()
        case "PATCH": try patch()
        case "DELETE": try delete()
        case "OPTIONS": try options()
        default: throw methodNotAllowed()
        }
    }

    static func defaultHeaders(_ settings: Settings) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(4)  // room for Content-Length and one more without regrowing
        headers.add("Content-Type", "text/html; charset=UTF-8")
        if let server = settings.serverHeader { headers.add("Server", server) }
        return headers
    }
}
