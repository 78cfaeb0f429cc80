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
        "linkify": .function(
            TemplateFunction("linkify") { arguments in .string(Escape.linkify(arguments.positional.first?.text ?? "")) }
        ),
    ]
}
