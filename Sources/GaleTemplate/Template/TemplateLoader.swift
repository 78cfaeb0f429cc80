import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Loads templates from a directory and keeps them compiled. Tornado: `tornado.template.Loader`.
///
/// Names are relative to `root`; inside a template, `{% extends %}` and `{% include %}` names
/// are relative to that template's folder. A name may not lead outside `root`.
public final class TemplateLoader: Sendable {
    /// The directory templates are read from.
    public let root: String
    /// The `autoescape` function name for templates it loads (`nil`: none).
    public let autoescape: String?
    /// The whitespace mode for templates it loads (`nil`: by file extension).
    public let whitespace: WhitespaceMode?
    /// Names added to every template's namespace.
    public let namespace: [String: TemplateValue]
    /// Whether compiled templates are kept (Tornado's `compiled_template_cache`; off in debug).
    public let cachesTemplates: Bool
    private let cache = Mutex<[String: Template]>([:])
    /// Variable slots of every template this loader makes (they share a render's scope).
    let symbols = SymbolTable()

    /// A loader for the templates under `root`.
    public init(
        root: String, autoescape: String? = "xhtml_escape", whitespace: WhitespaceMode? = nil,
        namespace: [String: TemplateValue] = [:], cachesTemplates: Bool = true
    ) {
        self.root = root
        self.autoescape = autoescape
        self.whitespace = whitespace
        self.namespace = namespace
        self.cachesTemplates = cachesTemplates
    }

    /// Forgets every compiled template. Tornado: `Loader.reset()`.
    public func reset() {
        cache.withLock { $0.removeAll() }
    }

    /// The template called `name`, relative to `parent`'s folder when given; compiled on first
    /// use and kept (unless `cachesTemplates` is off).
    public func load(_ name: String, parent: String? = nil) throws(TemplateError) -> Template {
        try load(name, parent: parent, line: 0)
    }

    func load(_ name: String, parent: String?, line: Int) throws(TemplateError) -> Template {
        try load(resolved: try resolvePath(name, parent: parent, line: line), parent: parent, line: line)
    }

    /// The template at `resolved`, a path `resolvePath` already returned (an `include` resolves
    /// its name when it is parsed, so a render does not split and join it again).
    func load(resolved: String, parent: String?, line: Int) throws(TemplateError) -> Template {
        if cachesTemplates, let cached = cache.withLock({ $0[resolved] }) { return cached }
        guard let data = FileManager.default.contents(atPath: root + "/" + resolved) else {
            throw TemplateError(
                .notFound, "template \(resolved) not found in \(root)", template: parent ?? resolved, line: line)
        }
        let template = try Template(
            String(decoding: data, as: UTF8.self), name: resolved, loader: self, autoescape: autoescape,
            whitespace: whitespace)
        if cachesTemplates { cache.withLock { $0[resolved] = template } }
        return template
    }

    /// `name` relative to `parent`'s folder, normalised; an error if it leaves `root`.
    /// Tornado: `Loader.resolve_path`.
    public func resolvePath(_ name: String, parent: String? = nil) throws(TemplateError) -> String {
        try resolvePath(name, parent: parent, line: 0)
    }

    private func resolvePath(_ name: String, parent: String?, line: Int) throws(TemplateError) -> String {
        switch Self.normalize(name, parent: parent) {
        case .path(let resolved):
            return resolved
        case .outsideRoot:
            throw TemplateError(.notFound, "template \(name) is outside \(root)", template: parent ?? name, line: line)
        case .badName:
            throw TemplateError(
                .notFound, "bad template name \(TemplateValue.pythonQuote(name))", template: parent ?? name, line: line)
        }
    }

    /// What a template name comes to once resolved.
    enum Resolution: Sendable, Equatable {
        /// The normalised path under the root.
        case path(String)
        /// A `..` leads above the root.
        case outsideRoot
        /// Empty, or holding a NUL.
        case badName
    }

    /// `name` relative to `parent`'s folder, normalised. Depends on the two names only, so the
    /// parser resolves an `include` once instead of on every render.
    static func normalize(_ name: String, parent: String?) -> Resolution {
        var parts: [Substring] = []
        if let parent, !parent.hasPrefix("<"), !name.hasPrefix("/") {
            parts = parent.split(separator: "/").dropLast()
        }
        for part in name.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return .outsideRoot }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        guard !parts.isEmpty, !name.contains("\0") else { return .badName }
        return .path(parts.joined(separator: "/"))
    }
}
