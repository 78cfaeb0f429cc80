/// The application's settings: one typed struct with a default for every field.
///
/// Tornado: the `**settings` keyword arguments of `tornado.web.Application`; each field's
/// documentation gives the Tornado key. Later subsystems (static files, templates, cookies,
/// XSRF) add their fields here.
public struct Settings: Sendable {
    // MARK: General

    /// Development mode. Tornado: `debug`. Turns on `serveTraceback` and turns off
    /// `staticHashCache` (and, as their subsystems land, turns on autoreload and off the
    /// template cache) unless those are set explicitly.
    public var debug: Bool

    /// Show the error's description on 500 pages. Tornado: `serve_traceback`. Follows
    /// `debug` when `nil`.
    public var serveTraceback: Bool?

    /// The handler for paths no route matches; a 404 page when `nil`.
    /// Tornado: `default_handler_class` with `default_handler_args`.
    public var defaultHandler: HandlerFactory?

    /// A replacement for the access log line. Tornado: `log_function`. Called once per
    /// finished request with the handler.
    public var logFunction: (@Sendable (RequestHandler) -> Void)?

    /// The `Server` response header; `nil` sends none.
    public var serverHeader: String?

    // MARK: Security

    /// The key that signs cookies. Tornado: `cookie_secret`. Signed cookies and XSRF tokens
    /// use it as they land; keep it secret and the same across processes.
    public var cookieSecret: String?

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
    /// UI modules for `{% module Name(...) %}`. Tornado: `ui_modules`.
    public var uiModules: [String: UIModule.Type]

    /// Creates settings; every argument has Tornado's default.
    public init(
        debug: Bool = false,
        serveTraceback: Bool? = nil,
        defaultHandler: HandlerFactory? = nil,
        logFunction: (@Sendable (RequestHandler) -> Void)? = nil,
        serverHeader: String? = "Gale/\(Settings.galeVersion)",
        cookieSecret: String? = nil,
        staticPath: String? = nil,
        staticURLPrefix: String = "/static/",
        staticHandlerClass: StaticFileHandler.Type = StaticFileHandler.self,
        staticHandlerArgs: StaticFileHandler.InitializeArguments = .init(path: ""),
        staticHashCache: Bool? = nil,
        translations: Translations = Translations(),
        templatePath: String? = nil,
        templateLoader: TemplateLoader? = nil,
        compiledTemplateCache: Bool? = nil,
        autoescape: String? = "xhtml_escape",
        templateWhitespace: WhitespaceMode? = nil,
        uiMethods: [String: UIMethod] = [:],
        uiModules: [String: UIModule.Type] = [:]
    ) {
        self.debug = debug
        self.serveTraceback = serveTraceback
        self.defaultHandler = defaultHandler
        self.logFunction = logFunction
        self.serverHeader = serverHeader
        self.cookieSecret = cookieSecret
        self.staticPath = staticPath
        self.staticURLPrefix = staticURLPrefix
        self.staticHandlerClass = staticHandlerClass
        self.staticHandlerArgs = staticHandlerArgs
        self.staticHashCache = staticHashCache
        self.translations = translations
        self.templatePath = templatePath
        self.templateLoader = templateLoader
        self.compiledTemplateCache = compiledTemplateCache
        self.autoescape = autoescape
        self.templateWhitespace = templateWhitespace
        self.uiMethods = uiMethods
        self.uiModules = uiModules
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

    /// Whether compiled templates are kept.
    public var effectiveCompiledTemplateCache: Bool { compiledTemplateCache ?? !debug }

    /// Whether error pages show the error's description.
    public var effectiveServeTraceback: Bool { serveTraceback ?? debug }
}
