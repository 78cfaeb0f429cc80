/// `handler` in a template, with Tornado's `RequestHandler` names for what a page reads from
/// its handler: `request`, `path_args`, `path_kwargs`, `current_user`, `xsrf_token`, and the
/// methods `get_argument`, `get_arguments`, `get_query_argument`, `get_query_arguments`,
/// `get_body_argument`, `get_body_arguments`, `get_cookie`, `xsrf_form_html`, `static_url`
/// and `reverse_url` (the last two as in the namespace). Methods that change the response
/// (`write`, `set_header`, `redirect` ...) are not offered: a template renders, it does not act.
struct HandlerTemplateObject: TemplateObject {
    let reference: HandlerReference
    /// The namespace's `static_url`, `reverse_url` and `xsrf_form_html`, which `handler.`
    /// offers too.
    let staticURL: TemplateValue
    let reverseURL: TemplateValue
    let xsrfFormHTML: TemplateValue

    func templateAttribute(_ name: String) -> TemplateValue? {
        let handler = reference.handler
        switch name {
        case "request": return .object(RequestTemplateObject(request: handler.request))
        case "path_args": return .list(handler.pathArgs.map(TemplateValue.string))
        case "path_kwargs":
            return .dictionary(
                TemplateDictionary(handler.pathKwargs.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        case "current_user": return (try? handler.currentUser) ?? TemplateValue.none
        case "xsrf_token": return (try? handler.xsrfToken).map(TemplateValue.string)
        case "xsrf_form_html": return xsrfFormHTML
        case "static_url": return staticURL
        case "reverse_url": return reverseURL
        case "get_argument":
            return argument(
                name, { [reference] in try reference.handler.getArgument($0) },
                { [reference] in try reference.handler.getArgument($0, default: nil) })
        case "get_query_argument":
            return argument(
                name, { [reference] in try reference.handler.getQueryArgument($0) },
                { [reference] in try reference.handler.getQueryArgument($0, default: nil) })
        case "get_body_argument":
            return argument(
                name, { [reference] in try reference.handler.getBodyArgument($0) },
                { [reference] in try reference.handler.getBodyArgument($0, default: nil) })
        case "get_arguments": return arguments(name) { [reference] in try reference.handler.getArguments($0) }
        case "get_query_arguments":
            return arguments(name) { [reference] in try reference.handler.getQueryArguments($0) }
        case "get_body_arguments":
            return arguments(name) { [reference] in try reference.handler.getBodyArguments($0) }
        case "get_cookie":
            return function(name) { [reference] call in
                let cookie = try Self.name(call, name)
                let fallback = call.value(1, "default")
                return reference.handler.getCookie(cookie).map(TemplateValue.string) ?? fallback ?? TemplateValue.none
            }
        default: return nil
        }
    }

    /// A method of the handler, reached through the reference.
    private func function(
        _ name: String, _ body: @escaping @Sendable (TemplateArguments) throws -> TemplateValue
    ) -> TemplateValue {
        .function(TemplateFunction(name, body))
    }

    /// `get_argument(name, default=<missing>)`: without a default, a missing argument is
    /// Tornado's 400 (`MissingArgumentError`); with one, the default (which may be `None`).
    private func argument(
        _ method: String, _ required: @escaping @Sendable (String) throws -> String,
        _ optional: @escaping @Sendable (String) throws -> String?
    ) -> TemplateValue {
        function(method) { call in
            let name = try Self.name(call, method)
            guard let fallback = call.value(1, "default") else { return .string(try required(name)) }
            return try optional(name).map(TemplateValue.string) ?? fallback
        }
    }

    /// `get_arguments(name)`: every value, as a list.
    private func arguments(_ method: String, _ read: @escaping @Sendable (String) throws -> [String]) -> TemplateValue {
        function(method) { call in .list(try read(try Self.name(call, method)).map(TemplateValue.string)) }
    }

    /// The first argument, which must be a string.
    private static func name(_ call: TemplateArguments, _ method: String) throws -> String {
        guard case .string(let name) = call.value(0, "name") ?? TemplateValue.none else {
            throw ProgrammerError("handler.\(method) needs the argument's name as a string")
        }
        return name
    }
}
