/// A compiled template in Tornado's syntax. Parsed once; `generate` only walks the result.
///
/// ```swift
/// let template = try Template("<b>{{ name }}</b>")
/// try template.generate(["name": "<Ann>"])   // "<b>&lt;Ann&gt;</b>"
/// ```
/// Tornado: `tornado.template.Template`. Expressions are a safe subset of Python (see
/// `TemplateValue`); `{% extends %}` and `{% include %}` need a `TemplateLoader`.
public final class Template: Sendable {
    /// The template's name in errors, and the base for relative `extends`/`include` paths.
    public let name: String
    let nodes: [TemplateNode]
    let parent: (name: String, line: Int)?
    /// The function name `{{ }}` output goes through (`xhtml_escape`), or `nil` for none.
    let autoescape: String?
    let loader: TemplateLoader?
    /// Variable slots, shared with the loader's other templates.
    let symbols: SymbolTable
    /// The slot of the `autoescape` function's name.
    let autoescapeSlot: Int?
    /// Whether `autoescape` names `xhtml_escape`, which a render may do inline.
    let escapesWithXHTML: Bool

    /// Parses `source`; a syntax error is thrown here, naming the line.
    public init(
        _ source: String, name: String = "<string>", loader: TemplateLoader? = nil,
        autoescape: String? = "xhtml_escape", whitespace: WhitespaceMode? = nil
    ) throws(TemplateError) {
        self.name = name
        self.loader = loader
        let mode = whitespace ?? loader?.whitespace ?? .default(for: name)
        symbols = loader?.symbols ?? SymbolTable()
        let parsed = try TemplateParser.parse(source, name: name, whitespace: mode, symbols: symbols)
        nodes = parsed.nodes
        parent = parsed.extends
        self.autoescape = parsed.autoescape ?? autoescape
        autoescapeSlot = self.autoescape.map(symbols.slot(for:))
        escapesWithXHTML = self.autoescape == "xhtml_escape"
    }

    /// Renders with `namespace` (beside the default helpers, `TemplateNamespace.defaults`).
    /// Tornado: `Template.generate(**kwargs)`.
    public func generate(_ namespace: [String: TemplateValue] = [:]) throws(TemplateError) -> String {
        String(decoding: try generateUTF8(namespace), as: UTF8.self)
    }

    /// Renders as UTF-8 bytes, ready for a response body without a detour through `String`
    /// (Tornado's `generate` returns bytes too).
    public func generateUTF8(_ namespace: [String: TemplateValue] = [:]) throws(TemplateError) -> [UInt8] {
        var variables = TemplateNamespace.defaults
        if let loader { variables.merge(loader.namespace) { _, new in new } }
        variables.merge(namespace) { _, new in new }
        return try TemplateRenderer.render(self, variables: variables)
    }

    /// This template and its ancestors, root first (Tornado: `_get_ancestors`).
    func ancestors() throws(TemplateError) -> [Template] {
        var chain = [self]
        var current = self
        while let parent = current.parent {
            guard let loader = current.loader else {
                throw TemplateError(
                    .syntax, "extends needs a template loader", template: current.name, line: parent.line)
            }
            let loaded = try loader.load(parent.name, parent: current.name, line: parent.line)
            guard !chain.contains(where: { $0 === loaded }), chain.count < 64 else {
                throw TemplateError(
                    .syntax, "templates extend each other in a loop", template: current.name, line: parent.line)
            }
            chain.append(loaded)
            current = loaded
        }
        return chain.reversed()
    }
}
