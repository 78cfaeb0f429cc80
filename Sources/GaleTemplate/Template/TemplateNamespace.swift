/// The names every template sees. Tornado: `escape`, `xhtml_escape`, `url_escape`,
/// `json_encode`, `squeeze`, `linkify`; the request handler adds its own (`handler`,
/// `static_url`, `_` ...).
public enum TemplateNamespace {
    /// Where `{% module Name(...) %}` looks `Name` up first: a dictionary of UI modules.
    public static let modulesKey = "_tt_modules"

    static let xhtmlEscape = TemplateFunction("xhtml_escape") { arguments in
        .string(Escape.xhtmlEscape(arguments.positional.first?.text ?? ""))
    }

    /// The default helpers.
    public static let defaults: [String: TemplateValue] = [
        "xhtml_escape": .function(xhtmlEscape),
        "escape": .function(xhtmlEscape),
        "url_escape": .function(
            TemplateFunction("url_escape") { arguments in
                .string(
                    Escape.urlEscape(
                        arguments.positional.first?.text ?? "", plus: arguments.value(1, "plus")?.isTruthy ?? true))
            }),
        "json_encode": .function(
            TemplateFunction("json_encode") { arguments in
                .string(Escape.jsonEncode(arguments.positional.first ?? .none))
            }),
        "squeeze": .function(
            TemplateFunction("squeeze") { arguments in .string(Escape.squeeze(arguments.positional.first?.text ?? "")) }
        ),
        "linkify": .function(TemplateFunction("linkify", linkify)),
    ]

    /// `linkify(text, shorten=False, extra_params="", require_protocol=False,
    /// permitted_protocols=["http", "https"])`; `extra_params` may be a function of the link.
    static func linkify(_ arguments: TemplateArguments) throws -> TemplateValue {
        let text = arguments.value(0, "text")?.text ?? ""
        if arguments.positional.count <= 1 && arguments.keyword.isEmpty { return .string(Escape.linkify(text)) }
        let shorten = arguments.value(1, "shorten")?.isTruthy ?? false
        let requireProtocol = arguments.value(3, "require_protocol")?.isTruthy ?? false
        var permitted: [String]?
        switch arguments.value(4, "permitted_protocols") ?? .none {
        case .none: break
        case .list(let items):
            permitted = try items.map { item throws(EvaluationError) in
                guard case .string(let name) = item else {
                    throw EvaluationError(message: "linkify() permitted_protocols must hold strings")
                }
                return name
            }
        default: throw EvaluationError(message: "linkify() permitted_protocols must be a list of strings")
        }
        switch arguments.value(2, "extra_params") ?? .none {
        case .none:
            return .string(
                Escape.linkify(text, shorten: shorten, requireProtocol: requireProtocol, permittedProtocols: permitted))
        case .string(let params):
            return .string(
                Escape.linkify(
                    text, shorten: shorten, extraParams: params, requireProtocol: requireProtocol,
                    permittedProtocols: permitted))
        case .function(let function):
            return .string(
                try Escape.linkify(
                    text, shorten: shorten, extraParams: { try function.call(TemplateArguments([.string($0)])).text },
                    requireProtocol: requireProtocol, permittedProtocols: permitted))
        default: throw EvaluationError(message: "linkify() extra_params must be a string or a function")
        }
    }
}
