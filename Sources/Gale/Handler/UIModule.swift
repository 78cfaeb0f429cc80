/// A reusable piece of page, used as `{% module Name(arguments) %}`; its output is not escaped.
/// Tornado: `tornado.web.UIModule`.
///
/// A module may also ask for JavaScript and CSS: `render` collects what every module used in
/// the page returns from the resource methods and inserts it, once per module, before the
/// page's `</head>` and `</body>`. One instance serves every use of a module name in a request,
/// so a module used ten times adds its resources once.
///
/// ```swift
/// final class EntryModule: UIModule {
///     override func render(_ arguments: TemplateArguments) throws -> String {
///         try renderString("modules/entry.html", ["entry": arguments.value(0, "entry") ?? .none])
///     }
///     override func cssFiles() throws -> [String]? { ["entry.css"] }  // through staticURL
///     override func embeddedJavascript() throws -> String? { "initEntries()" }
/// }
/// ```
///
/// Subclassing notes — the methods meant to be overridden: `render(_:)`, and the resource
/// methods `embeddedJavascript()`, `javascriptFiles()`, `embeddedCSS()`, `cssFiles()`,
/// `htmlHead()` and `htmlBody()`; each returns `nil` by default (nothing to add).
open class UIModule {
    /// The handler rendering the page.
    public let handler: RequestHandler

    /// Made once per module name and request, at the module's first use in a template.
    public required init(handler: RequestHandler) {
        self.handler = handler
    }

    /// The request being served. Tornado: `self.request`.
    public var request: ServerRequest { handler.request }

    /// The handler's locale. Tornado: `self.locale`.
    public var locale: Locale { handler.locale }

    /// The signed-in user, as the handler knows it. Tornado: `self.current_user`.
    public var currentUser: TemplateValue? {
        get throws { try handler.currentUser }
    }

    /// The HTML for these arguments; called for every use of the module.
    open func render(_ arguments: TemplateArguments) throws -> String { "" }

    /// JavaScript to put in the page's one `<script>` element before `</body>`, or `nil`.
    /// Tornado: `embedded_javascript`.
    open func embeddedJavascript() throws -> String? { nil }

    /// Script paths for `<script src>` elements before `</body>`, or `nil`. A relative path goes
    /// through `staticURL` (with its content version); one starting with `/`, `http:` or
    /// `https:` is kept as it is. Tornado: `javascript_files`.
    open func javascriptFiles() throws -> [String]? { nil }

    /// CSS to put in the page's one `<style>` element before `</head>`, or `nil`.
    /// Tornado: `embedded_css`.
    open func embeddedCSS() throws -> String? { nil }

    /// Style sheet paths for `<link rel="stylesheet">` elements before `</head>`, or `nil`;
    /// relative paths go through `staticURL`, as `javascriptFiles()`'s do. Tornado: `css_files`.
    open func cssFiles() throws -> [String]? { nil }

    /// HTML to put just before `</head>`, or `nil`. Tornado: `html_head`.
    open func htmlHead() throws -> String? { nil }

    /// HTML to put just before `</body>`, or `nil`. Tornado: `html_body`.
    open func htmlBody() throws -> String? { nil }

    /// Template `path` rendered with the handler's namespace and `arguments`, for a module that
    /// keeps its HTML in a template. Modules used inside it add their resources to the page
    /// too. Tornado: `UIModule.render_string`.
    public func renderString(_ path: String, _ arguments: [String: TemplateValue] = [:]) throws -> String {
        try handler.renderString(path, arguments)
    }

    /// Template `path` rendered with `arguments`, each value converted as
    /// `TemplateValue(encoding:)` converts it, as the handler's `renderString` takes them.
    @_disfavoredOverload
    public func renderString(_ path: String, _ arguments: [String: any Encodable & Sendable]) throws -> String {
        try handler.renderString(path, arguments)
    }

    /// Template `path` rendered with the fields of `context` as its variables, as the
    /// handler's `renderString` takes them.
    @_disfavoredOverload
    public func renderString(_ path: String, _ context: some Encodable & Sendable) throws -> String {
        try handler.renderString(path, context)
    }
}
