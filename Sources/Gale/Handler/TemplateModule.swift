/// `{% module Template("path.html", name=value ...) %}`: renders another template with the
/// handler's namespace and the keyword arguments (not the calling template's variables), as a
/// UI module. Tornado: `tornado.web.TemplateModule`, always in the `modules` namespace.
///
/// The template may ask for page resources with `set_resources`, whose keywords are the
/// `UIModule` resource methods' Tornado names:
///
/// ```
/// {{ set_resources(css_files=["entry.css"], embedded_javascript="initEntries()") }}
/// ```
///
/// `javascript_files` and `css_files` take a path or a list of paths; `embedded_javascript`,
/// `embedded_css`, `html_head` and `html_body` take a string. Resources are kept once per
/// template path, not once per use, so they must not depend on the template's arguments: a
/// second call for the same path with different resources is an error, as in Tornado. Gale
/// also refuses a keyword that is not one of the six, and a value of the wrong type, where
/// Tornado ignores the first and fails later on the second.
public final class TemplateModule: UIModule {
    /// The resources of each template path, in the order the paths first asked.
    private var resources: [(path: String, resources: TemplateResources)] = []

    /// The first argument (or `path=`) names the template; keyword arguments are its namespace.
    public override func render(_ arguments: TemplateArguments) throws -> String {
        guard arguments.positional.count <= 1, case .string(let path) = arguments.value(0, "path") ?? .none else {
            throw ProgrammerError("takes a template path and keyword arguments only")
        }
        var namespace: [String: TemplateValue] = [:]
        for (name, value) in arguments.keyword where !(name == "path" && arguments.positional.isEmpty) {
            guard name != "set_resources" else {
                throw ProgrammerError("got set_resources as an argument; \(path) has its own")
            }
            namespace[name] = value
        }
        let module = TemplateModuleReference(module: self)
        namespace["set_resources"] = .function(
            TemplateFunction("set_resources") { arguments in
                try module.module.setResources(TemplateResources(arguments), for: path)
                return .string("")
            })
        do {
            return try handler.renderString(path, namespace)
        } catch let error as TemplateError where error.kind == .notFound && error.line == 0 {
            throw ProgrammerError(error.message)  // the template itself, not one it includes
        }
    }

    private func setResources(_ given: TemplateResources, for path: String) throws(ProgrammerError) {
        guard let kept = resources.first(where: { $0.path == path }) else {
            resources.append((path, given))
            return
        }
        guard kept.resources == given else {
            throw ProgrammerError("set_resources called with different resources for the same template (\(path))")
        }
    }

    public override func embeddedJavascript() -> String? { joined(.embeddedJavascript, separator: "\n") }
    public override func javascriptFiles() -> [String]? { paths(.javascriptFiles) }
    public override func embeddedCSS() -> String? { joined(.embeddedCSS, separator: "\n") }
    public override func cssFiles() -> [String]? { paths(.cssFiles) }
    public override func htmlHead() -> String? { joined(.htmlHead, separator: "") }
    public override func htmlBody() -> String? { joined(.htmlBody, separator: "") }

    private func joined(_ kind: TemplateResources.Kind, separator: String) -> String {
        resources.compactMap { $0.resources.values[kind]?.paths.first }.joined(separator: separator)
    }

    private func paths(_ kind: TemplateResources.Kind) -> [String] {
        resources.flatMap { $0.resources.values[kind]?.paths ?? [] }
    }
}

/// What one template's `set_resources(...)` asked for, checked.
struct TemplateResources: Equatable {
    /// The keywords `set_resources` takes.
    enum Kind: String, CaseIterable {
        case javascriptFiles = "javascript_files"
        case cssFiles = "css_files"
        case embeddedJavascript = "embedded_javascript"
        case embeddedCSS = "embedded_css"
        case htmlHead = "html_head"
        case htmlBody = "html_body"

        /// Whether a list of paths is allowed as well as one string.
        var takesList: Bool { self == .javascriptFiles || self == .cssFiles }
    }

    /// A value as given: one string, or a list of paths. Kept apart so that, as in Tornado,
    /// `"a.js"` and `["a.js"]` count as different resources for the same template.
    enum Value: Equatable {
        case one(String)
        case list([String])

        var paths: [String] {
            switch self {
            case .one(let text): [text]
            case .list(let paths): paths
            }
        }
    }

    var values: [Kind: Value] = [:]

    init(_ arguments: TemplateArguments) throws(ProgrammerError) {
        guard arguments.positional.isEmpty else {
            throw ProgrammerError("takes keyword arguments only, such as css_files=[...]")
        }
        for (name, value) in arguments.keyword {
            guard let kind = Kind(rawValue: name) else {
                let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ProgrammerError("no resource \(name); the resources are \(known)")
            }
            values[kind] = try Self.value(value, kind)
        }
    }

    private static func value(_ value: TemplateValue, _ kind: Kind) throws(ProgrammerError) -> Value {
        switch value {
        case .string(let text):
            return .one(text)
        case .list(let items) where kind.takesList:
            var paths: [String] = []
            for item in items {
                guard case .string(let path) = item else {
                    throw ProgrammerError("\(kind.rawValue) must hold paths, not \(item.typeName)")
                }
                paths.append(path)
            }
            return .list(paths)
        default:
            let wanted = kind.takesList ? "a path or a list of paths" : "a string"
            throw ProgrammerError("\(kind.rawValue) must be \(wanted), not \(value.typeName)")
        }
    }
}

/// The module as `set_resources` captures it: the template renders on the handler's thread
/// and the function does not outlive the render, as with `HandlerReference`.
private struct TemplateModuleReference: @unchecked Sendable {
    // @unchecked: as `HandlerReference`: used only by the render on the handler's thread.
    let module: TemplateModule
}
