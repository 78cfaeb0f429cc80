/// The application's settings: one typed struct with a default for every field.
///
/// Tornado: the `**settings` keyword arguments of `tornado.web.Application`; each field's
/// documentation gives the Tornado key. Later subsystems (static files, templates, cookies,
/// XSRF) add their fields here.
public struct Settings: Sendable {
    // MARK: General

    /// Development mode. Tornado: `debug`. Turns on `autoreload` and `serveTraceback`, and
    /// turns off `compiledTemplateCache` and `staticHashCache`, each unless set explicitly
    /// (an explicit value wins over `debug`).
    public var debug: Bool

    /// Error pages show what went wrong: the error, where it was thrown and the stack there
    /// (for a `LocatedError`, such as `HTTPError`), the template line (for a `TemplateError`),
    /// the handler, the route and the request. Tornado: `serve_traceback`. Follows `debug`
    /// when `nil`. While it is on, errors made during a request capture their stack
    /// (`ErrorTrace`), which costs under a millisecond an error: a development setting.
    public var serveTraceback: Bool?

    /// Gale's own server restarts itself when its executable, its templates or a file given
    /// to `Autoreload.watch` changes. Tornado: `autoreload`. Follows `debug` when `nil`.
    /// FastCGI and CGI ignore it: their host starts the processes.
    public var autoreload: Bool?

    /// The handler for paths no route matches; a 404 page when `nil`.
    /// Tornado: `default_handler_class` with `default_handler_args`.
    public var defaultHandler: HandlerFactory?

    /// The host whose virtual-host routes (`Application.addHandlers`) also serve requests for
    /// hosts no host pattern matches, unless the request has an `X-Real-Ip` header (it came
    /// through a proxy). Tornado: `Application(default_host=...)`, "for debugging": a request
    /// by IP address reaches the site. It serves forged `Host` headers too, so leave it unset
    /// where DNS rebinding matters (a server on a private network or 127.0.0.1 without TLS).
    public var defaultHost: String?

    /// A replacement for the access log line. Tornado: `log_function`. Called once per
    /// finished request with the handler.
    public var logFunction: (@Sendable (RequestHandler) -> Void)?
    /// What watches every request: metrics (`GaleMetrics.MetricsInstrument`), tracing
    /// (`GaleTracing.TracingInstrument`), or your own `RequestInstrument`. Beyond Tornado.
    public var instruments: [any RequestInstrument]

    /// The `Server` response header; `nil` sends none.
    public var serverHeader: String?

    /// Gzip responses for clients that accept it: text and the usual JSON, JavaScript, XML
    /// and SVG types, 1024 bytes or more, not already encoded; `Vary: Accept-Encoding` on
    /// every response; a streamed response is compressed as it flushes. Tornado:
    /// `compress_response`. Gale's own server applies it; under FastCGI and CGI the web server
    /// in front compresses (nginx's `gzip on`). Files sent by `StaticFileHandler` go as
    /// stored.
    public var compressResponse: Bool

    // MARK: Security

    /// The key that signs cookies. Tornado: `cookie_secret`. Keep it secret and the same
    /// across processes; servers refuse to start with an empty one or the placeholder of Tornado's demos
    /// unless `debug` is on.
    public var cookieSecret: String?
    /// Versioned keys for rotation, used instead of `cookieSecret` when not empty: values are
    /// signed with `keyVersion`'s key and verified with the key their version names.
    /// Tornado: `cookie_secret` given as a dictionary.
    public var cookieSecretVersions: [Int: String]
    /// The version of `cookieSecretVersions` new values are signed with. Tornado: `key_version`.
    public var keyVersion: Int?
    /// Where `authenticated` sends visitors without a user. Tornado: `login_url`.
    public var loginURL: String?
    /// Check an XSRF token on every POST, PUT, PATCH and DELETE. Tornado: `xsrf_cookies`.
    public var xsrfCookies: Bool
    /// The token format written: 2 (masked, the default) or 1. Tornado: `xsrf_cookie_version`.
    public var xsrfCookieVersion: Int
    /// Attributes of the `_xsrf` cookie (`secure`, `sameSite` ...). Tornado: `xsrf_cookie_kwargs`.
    public var xsrfCookieOptions: CookieOptions
    /// The XSRF cookie's name. Tornado: `xsrf_cookie_name`.
    public var xsrfCookieName: String
    /// Refuse state-changing requests (POST, PUT, PATCH, DELETE...) that a browser says come
    /// from another origin (`Sec-Fetch-Site`, else `Origin` against `Host`), with a 403, unless
    /// `RequestHandler.checkTrustedOrigin` allows the origin. Needs no token in forms, unlike
    /// `xsrfCookies`; the two can be on together. Tornado 6.6: `cross_origin_protection`.
    public var crossOriginProtection: Bool
    /// The origins (`https://example.com`) allowed across origins by `checkTrustedOrigin`.
    /// Tornado 6.6: `trusted_origins`.
    public var trustedOrigins: [String]

    // MARK: Static files

    /// The directory of static files, served under `staticURLPrefix` (and `/robots.txt`,
    /// `/favicon.ico` from it). Tornado: `static_path`.
    public var staticPath: String?
    /// The URL prefix of static files. Tornado: `static_url_prefix` (`/static/`).
    public var staticURLPrefix: String
    /// The handler class for static files. Tornado: `static_handler_class`.
    public var staticHandlerClass: StaticFileHandler.Type
    /// Extra arguments for it (`path` is always `staticPath`). Tornado: `static_handler_args`.
    public var staticHandlerArgs: StaticFileHandler.InitializeArguments
    /// Hash each static file once and keep the hash; `nil` follows `!debug`.
    /// Tornado: `static_hash_cache`.
    public var staticHashCache: Bool?
    /// How many static files `StaticFileHandler` keeps ready to serve: each one's `Etag`,
    /// `Last-Modified`, `Content-Type` and identity, and the bytes of those up to
    /// `staticFileCacheMaxFileSize`. Every request still checks its file with one `stat` and
    /// reads it again when it changed, so a kept file is never served stale. Past this many,
    /// the oldest entry goes first; `0` keeps none (every request opens and hashes its file,
    /// as with `staticHashCache` off, which turns this cache off too). Memory stays under
    /// about this times (`staticFileCacheMaxFileSize` + 1 KiB). Beyond Tornado; nginx:
    /// `open_file_cache max=`.
    public var staticFileCacheEntries: Int
    /// The largest file, in bytes, whose content `staticFileCacheEntries` keeps in memory; a
    /// larger file is sent with sendfile from a descriptor opened for its request. `0` keeps
    /// no content. Beyond Tornado.
    public var staticFileCacheMaxFileSize: Int

    // MARK: Locale

    /// The translations `locale` and `_()` use. Tornado: what `tornado.locale.load_translations`
    /// or `load_gettext_translations` loaded, and `set_default_locale`.
    public var translations: Translations

    // MARK: Templates

    /// The directory `render` loads templates from. Tornado: `template_path`.
    public var templatePath: String?
    /// A loader to use instead of one made for `templatePath`. Tornado: `template_loader`.
    public var templateLoader: TemplateLoader?
    /// Keep compiled templates; `nil` follows `!debug`, so templates reload while developing.
    /// Tornado: `compiled_template_cache`.
    public var compiledTemplateCache: Bool?
    /// The function `{{ }}` output goes through; `nil` turns escaping off. Tornado: `autoescape`.
    public var autoescape: String?
    /// The whitespace mode of every template; `nil` decides by extension. Tornado:
    /// `template_whitespace`.
    public var templateWhitespace: WhitespaceMode?
    /// Functions every template can call, given the handler first. Tornado: `ui_methods`.
    public var uiMethods: [String: UIMethod]
    /// UI modules for `{% module Name(...) %}`, beside the built-in `Template`, `linkify` and
    /// `xsrf_form_html` (a name given here replaces one of those). Tornado: `ui_modules`.
    public var uiModules: [String: UIModule.Type]

    // MARK: WebSockets

    /// How often a WebSocket connection is pinged to keep it alive and find dead peers;
    /// `nil` sends no pings. Tornado: `websocket_ping_interval`.
    public var websocketPingInterval: Duration?
    /// How long a ping may go unanswered before the connection is dropped: at most the interval,
    /// which is also the default (`nil`); zero turns the check off. Tornado 6.5:
    /// `websocket_ping_timeout`.
    public var websocketPingTimeout: Duration?
    /// The largest message a WebSocket client may send, in bytes (after decompression); a
    /// larger one closes the connection with code 1009. Tornado: `websocket_max_message_size`
    /// (10 MiB).
    public var websocketMaxMessageSize: Int

    /// Creates the defaults, then lets `configure` set fields by name, in any order: the
    /// readable form for more than a few settings, since the memberwise arguments must come
    /// in declaration order. Tornado: `Application(handlers, **settings)`, keys in any order.
    ///
    /// ```swift
    /// let settings = Settings {
    ///     $0.templatePath = "templates"
    ///     $0.cookieSecret = secret
    ///     $0.xsrfCookies = true
    ///     $0.debug = options.debug
    /// }
    /// ```
    public init(_ configure: (inout Settings) throws -> Void) rethrows {
        self.init()
        try configure(&self)
    }

    /// Creates settings; every argument has Tornado's default.
    public init(
        debug: Bool = false,
        serveTraceback: Bool? = nil,
        autoreload: Bool? = nil,
        defaultHandler: HandlerFactory? = nil,
        defaultHost: String? = nil,
        logFunction: (@Sendable (RequestHandler) -> Void)? = nil,
        instruments: [any RequestInstrument] = [],
        serverHeader: String? = "Gale/\(Settings.galeVersion)",
        compressResponse: Bool = false,
        cookieSecret: String? = nil,
        cookieSecretVersions: [Int: String] = [:],
        keyVersion: Int? = nil,
        loginURL: String? = nil,
        xsrfCookies: Bool = false,
        xsrfCookieVersion: Int = 2,
        xsrfCookieOptions: CookieOptions = CookieOptions(),
        xsrfCookieName: String = "_xsrf",
        crossOriginProtection: Bool = false,
        trustedOrigins: [String] = [],
        staticPath: String? = nil,
        staticURLPrefix: String = "/static/",
        staticHandlerClass: StaticFileHandler.Type = StaticFileHandler.self,
        staticHandlerArgs: StaticFileHandler.InitializeArguments = .init(path: ""),
        staticHashCache: Bool? = nil,
        staticFileCacheEntries: Int = 1024,
        staticFileCacheMaxFileSize: Int = 16 * 1024,
        translations: Translations = Translations(),
        templatePath: String? = nil,
        templateLoader: TemplateLoader? = nil,
        compiledTemplateCache: Bool? = nil,
        autoescape: String? = "xhtml_escape",
        templateWhitespace: WhitespaceMode? = nil,
        uiMethods: [String: UIMethod] = [:],
        uiModules: [String: UIModule.Type] = [:],
        websocketPingInterval: Duration? = nil,
        websocketPingTimeout: Duration? = nil,
        websocketMaxMessageSize: Int = 10 * 1024 * 1024
    ) {
        self.debug = debug
        self.serveTraceback = serveTraceback
        self.autoreload = autoreload
        self.defaultHandler = defaultHandler
        self.defaultHost = defaultHost
        self.logFunction = logFunction
        self.instruments = instruments
        self.serverHeader = serverHeader
        self.compressResponse = compressResponse
        self.cookieSecret = cookieSecret
        self.cookieSecretVersions = cookieSecretVersions
        self.keyVersion = keyVersion
        self.loginURL = loginURL
        self.xsrfCookies = xsrfCookies
        self.xsrfCookieVersion = xsrfCookieVersion
        self.xsrfCookieOptions = xsrfCookieOptions
        self.xsrfCookieName = xsrfCookieName
        self.crossOriginProtection = crossOriginProtection
        self.trustedOrigins = trustedOrigins
        self.staticPath = staticPath
        self.staticURLPrefix = staticURLPrefix
        self.staticHandlerClass = staticHandlerClass
        self.staticHandlerArgs = staticHandlerArgs
        self.staticHashCache = staticHashCache
        self.staticFileCacheEntries = staticFileCacheEntries
        self.staticFileCacheMaxFileSize = staticFileCacheMaxFileSize
        self.translations = translations
        self.templatePath = templatePath
        self.templateLoader = templateLoader
        self.compiledTemplateCache = compiledTemplateCache
        self.autoescape = autoescape
        self.templateWhitespace = templateWhitespace
        self.uiMethods = uiMethods
        self.uiModules = uiModules
        self.websocketPingInterval = websocketPingInterval
        self.websocketPingTimeout = websocketPingTimeout
        self.websocketMaxMessageSize = websocketMaxMessageSize
    }

    /// The handler class for unmatched paths. Tornado: `default_handler_class`.
    public var defaultHandlerClass: RequestHandler.Type? {
        get { defaultHandler?.handlerType }
        set { defaultHandler = newValue.map { HandlerFactory($0) } }
    }

    /// The framework's version, sent in the default `Server` header.
    public static let galeVersion = "0.1.0"

    /// Whether static file hashes are kept once computed.
    public var effectiveStaticHashCache: Bool { staticHashCache ?? !debug }

    /// The keys that sign cookies, from `cookieSecretVersions` and `keyVersion`, else
    /// `cookieSecret`; `nil` when neither is set.
    public var signingKeys: SigningKeys? {
        if !cookieSecretVersions.isEmpty {
            // No silent fall-back to `cookieSecret`: it would verify every key version's values.
            return keyVersion.flatMap { SigningKeys(versions: cookieSecretVersions, current: $0) }
        }
        return cookieSecret.map(SigningKeys.init)
    }

    /// The placeholder secret of Tornado's demos (`__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__`), refused at start-up outside debug mode.
    public static let placeholderCookieSecret = "__TODO:_GENERATE_YOUR_OWN_RANDOM_VALUE_HERE__"

    /// Problems that stop a server from starting: an empty or placeholder `cookieSecret`
    /// (allowed in debug mode, with a warning), versioned keys without a `keyVersion` that
    /// names one of them, an XSRF version other than 1 or 2, a negative static file cache size.
    public func startupProblems() -> (errors: [String], warnings: [String]) {
        var errors: [String] = []
        var warnings: [String] = []
        let secrets =
            [("cookieSecret", cookieSecret)]
            + cookieSecretVersions.sorted { $0.key < $1.key }.map { ("cookieSecretVersions[\($0.key)]", $0.value) }
        for case (let label, let secret?) in secrets where secret.isEmpty || secret == Self.placeholderCookieSecret {
            let problem =
                secret.isEmpty ? "\(label) is empty" : "\(label) is the placeholder \(Self.placeholderCookieSecret)"
            if debug {
                warnings.append("\(problem); signed cookies are forgeable (allowed because debug is on)")
            } else {
                errors.append("\(problem): set a long random secret (debug mode allows it)")
            }
        }
        if !cookieSecretVersions.isEmpty {
            if let keyVersion {
                if cookieSecretVersions[keyVersion] == nil {
                    errors.append("keyVersion \(keyVersion) is not a key of cookieSecretVersions")
                }
            } else {
                errors.append("cookieSecretVersions needs keyVersion to say which key signs new values")
            }
        }
        if ![1, 2].contains(xsrfCookieVersion) {
            errors.append("xsrfCookieVersion must be 1 or 2, not \(xsrfCookieVersion)")
        }
        for (name, value) in [
            ("staticFileCacheEntries", staticFileCacheEntries),
            ("staticFileCacheMaxFileSize", staticFileCacheMaxFileSize),
        ] where value < 0 {
            errors.append("\(name) must be 0 (off) or more, not \(value)")
        }
        // Found now rather than by the first request that needs them (a bare 500 with the
        // reason only in the log).
        let directories = [("templatePath", templateLoader == nil ? templatePath : nil), ("staticPath", staticPath)]
        for case (let label, let path?) in directories {
            if let problem = DirectoryCheck.problem(with: path) { errors.append("\(label) \(problem)") }
        }
        return (errors, warnings)
    }

    /// Whether compiled templates are kept.
    public var effectiveCompiledTemplateCache: Bool { compiledTemplateCache ?? !debug }

    /// Whether error pages show what went wrong.
    public var effectiveServeTraceback: Bool { serveTraceback ?? debug }

    /// Whether the server restarts itself on a change.
    public var effectiveAutoreload: Bool { autoreload ?? debug }

    /// The ping timeout in force: `websocketPingTimeout`, or the interval, never more than the
    /// interval (as Tornado 6.5).
    public var effectiveWebsocketPingTimeout: Duration? {
        guard let interval = websocketPingInterval else { return nil }
        return min(websocketPingTimeout ?? interval, interval)
    }
}
