extension RequestHandler {
    /// Renders template `name` with the fields of `context` as its variables, and finishes the
    /// response with it. Tornado: `render(template_name, **kwargs)`, the keyword arguments
    /// gathered in one value:
    ///
    /// ```swift
    /// struct Page: Encodable { var title: String; var items: [String] }
    /// try render("index.html", Page(title: "Todo", items: items))  // {{ title }}, {% for item in items %}
    /// ```
    ///
    /// `context` converts as `TemplateValue(encoding:)` converts (its coding keys are the
    /// variables' names); it must be keyed: a struct, a class, or a dictionary with string keys.
    @_disfavoredOverload
    public func render(_ name: String, _ context: some Encodable & Sendable) throws {
        try render(name, try RenderArguments.fields(of: context, template: name))
    }

    /// Renders template `name` with `arguments`, each value converted as
    /// `TemplateValue(encoding:)` converts it (a `TemplateValue` is taken as it is), and
    /// finishes the response with it. Tornado: `render(template_name, **kwargs)`:
    ///
    /// ```swift
    /// try render("index.html", ["title": "Todo", "items": items])  // items: [String]
    /// ```
    @_disfavoredOverload
    public func render(_ name: String, _ arguments: [String: any Encodable & Sendable]) throws {
        try render(name, try RenderArguments.converted(arguments))
    }

    /// Template `name` rendered with the fields of `context` as its variables (see
    /// `render(_:_:)` with a context). Tornado: `render_string`.
    @_disfavoredOverload
    public func renderString(_ name: String, _ context: some Encodable & Sendable) throws -> String {
        try renderString(name, try RenderArguments.fields(of: context, template: name))
    }

    /// Template `name` rendered with `arguments`, each value converted as
    /// `TemplateValue(encoding:)` converts it. Tornado: `render_string`.
    @_disfavoredOverload
    public func renderString(_ name: String, _ arguments: [String: any Encodable & Sendable]) throws -> String {
        try renderString(name, try RenderArguments.converted(arguments))
    }

    /// A dictionary with a value that is neither `Encodable` nor a `TemplateValue`: a compile
    /// error that names the fix, where the compiler would otherwise say nothing useful.
    @available(
        *, unavailable,
        message:
            "each value passed to render must be Encodable & Sendable (or a TemplateValue): make its type Encodable, or convert it with TemplateValue(encoding:) or a TemplateValueConvertible conformance"
    )
    @_disfavoredOverload
    public func render(_ name: String, _ arguments: [String: Any]) throws {
        try render(name, [String: TemplateValue]())
    }

    /// See `render(_:_:)` with `[String: Any]`.
    @available(
        *, unavailable,
        message:
            "each value passed to renderString must be Encodable & Sendable (or a TemplateValue): make its type Encodable, or convert it with TemplateValue(encoding:) or a TemplateValueConvertible conformance"
    )
    @_disfavoredOverload
    public func renderString(_ name: String, _ arguments: [String: Any]) throws -> String {
        try renderString(name, [String: TemplateValue]())
    }
}

/// The conversions behind `render`'s and `renderString`'s `Encodable` forms.
enum RenderArguments {
    /// The fields of `context`, which must convert to a dictionary.
    static func fields(of context: some Encodable, template name: String) throws -> [String: TemplateValue] {
        guard case .dictionary(let fields) = try TemplateValue(encoding: context) else {
            throw ProgrammerError(
                "render(\"\(name)\", context): a \(type(of: context)) has no fields to name the template's variables; "
                    + "pass a struct, a class or a [String: ...] dictionary")
        }
        var arguments: [String: TemplateValue] = [:]
        arguments.reserveCapacity(fields.count)
        for (key, value) in fields.items { arguments[key] = value }
        return arguments
    }

    /// Each value converted; a `TemplateValue` as it is.
    static func converted(_ values: [String: any Encodable & Sendable]) throws -> [String: TemplateValue] {
        var arguments: [String: TemplateValue] = [:]
        arguments.reserveCapacity(values.count)
        for (key, value) in values {
            arguments[key] = try value as? TemplateValue ?? TemplateValue(encoding: value)
        }
        return arguments
    }
}
