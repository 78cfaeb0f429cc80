extension RequestHandler {
    /// Renders template `name` with `arguments` and finishes the response with it.
    /// Tornado: `render(template_name, **kwargs)`. What the page's UI modules ask for
    /// (`UIModule.javascriptFiles()` and its kin) goes before `</head>` and `</body>`, through
    /// `renderLinkedJS(_:)`, `renderEmbedJS(_:)`, `renderLinkedCSS(_:)` and `renderEmbedCSS(_:)`;
    /// a page that used no module is written as rendered, unsearched.
    public func render(_ name: String, _ arguments: [String: TemplateValue] = [:]) throws {
        var html = try renderBytes(name, arguments)
        if !activeModules.isEmpty {
            try PageResources(activeModules).insert(into: &html, page: name, handler: self)
        }
        try write(html)
        try finish()
    }

    /// Template `name` rendered with the handler's namespace and `arguments`.
    /// Tornado: `render_string`. A template error names its file and line.
    public func renderString(_ name: String, _ arguments: [String: TemplateValue] = [:]) throws -> String {
        String(decoding: try renderBytes(name, arguments), as: UTF8.self)
    }

    private func renderBytes(_ name: String, _ arguments: [String: TemplateValue]) throws -> [UInt8] {
        let loader: TemplateLoader
        if let configured = application.settings.templateLoader {
            loader = configured
        } else {
            guard let path = getTemplatePath() else {
                throw ProgrammerError("render(\(name)) needs the templatePath setting or getTemplatePath()")
            }
            loader = application.templateLoader(for: path) { createTemplateLoader(path) }
        }
        var namespace = try getTemplateNamespace()
        namespace.merge(arguments) { _, given in given }
        do {
            return try loader.load(name).generateUTF8(namespace)
        } catch {
            // `handler.get_argument("x")` with no x: the request's 400, as in Tornado.
            if let answer = error.underlying as? HTTPError { throw answer }
            throw error
        }
    }

    /// The loader `createTemplateLoader` makes by default: the `autoescape`,
    /// `templateWhitespace` and `compiledTemplateCache` settings applied.
    public func defaultTemplateLoader(_ path: String) -> TemplateLoader {
        let settings = application.settings
        return TemplateLoader(
            root: path, autoescape: settings.autoescape, whitespace: settings.templateWhitespace,
            cachesTemplates: settings.effectiveCompiledTemplateCache)
    }

    /// Tornado's namespace: `handler`, `request`, `current_user`, `locale`, `_`, `pgettext`,
    /// `datetime` (UTC, the common parts), `static_url`, `reverse_url`,
    /// the `uiMethods` and `uiModules`; the template engine adds `escape`, `xhtml_escape`,
    /// `url_escape`, `json_encode`, `squeeze` and `linkify`.
    public func defaultTemplateNamespace() throws -> [String: TemplateValue] {
        let application = self.application
        let request = self.request
        let handler = HandlerReference(handler: self)
        let xsrfFormHTML = TemplateValue.function(
            TemplateFunction("xsrf_form_html") { _ in .string(try handler.handler.xsrfFormHTML()) })
        let staticURL = TemplateValue.function(
            TemplateFunction("static_url") { arguments in
                guard case .string(let path) = arguments.value(0, "path") ?? .none else {
                    throw ProgrammerError("static_url needs a path")
                }
                guard application.settings.staticPath != nil else {
                    throw ProgrammerError("static_url(\(path)) needs the staticPath setting")
                }
                // Tornado: static_url(path, include_host=None, include_version=True).
                let url = application.settings.staticHandlerClass.makeStaticURL(
                    application: application, path: path,
                    includeVersion: arguments.keyword.last { $0.name == "include_version" }?.value.isTruthy ?? true)
                let includeHost = arguments.value(1, "include_host")?.isTruthy ?? false
                return .string(includeHost ? "\(request.protocol)://\(request.host)\(url)" : url)
            })
        let reverseURL = TemplateValue.function(
            TemplateFunction("reverse_url") { arguments in
                guard case .string(let name) = arguments.positional.first ?? .none else {
                    throw ProgrammerError("reverse_url needs a route name")
                }
                return .string(
                    try application.reverseURL(name, arguments: arguments.positional.dropFirst().map(\.text)))
            })
        var namespace: [String: TemplateValue] = [
            "handler": .object(
                HandlerTemplateObject(
                    reference: handler, staticURL: staticURL, reverseURL: reverseURL, xsrfFormHTML: xsrfFormHTML)),
            "request": .object(RequestTemplateObject(request: request)),
            "current_user": try currentUser ?? .none,
            "datetime": .object(DatetimeTemplateObject()),
            "xsrf_form_html": xsrfFormHTML,
            "locale": .object(LocaleTemplateObject(locale: locale)),
            "_": .function(LocaleTemplateObject.translate(locale)),
            "pgettext": .function(LocaleTemplateObject.pgettext(locale)),
            "static_url": staticURL,
            "reverse_url": reverseURL,
        ]
        for (name, method) in application.settings.uiMethods {
            namespace[name] = .function(TemplateFunction(name) { arguments in try method(handler.handler, arguments) })
        }
        // Tornado's default UI modules, then the app's (which may replace them), made into one
        // dictionary at once.
        var modules: [(String, TemplateValue)] = [
            ("xsrf_form_html", xsrfFormHTML), ("linkify", Self.linkifyModule),
            ("Template", handler.moduleFunction("Template", TemplateModule.self)),
        ]
        for (name, module) in application.settings.uiModules {
            modules.append((name, handler.moduleFunction(name, module)))
        }
        let dictionary = TemplateValue.dictionary(TemplateDictionary(modules))
        namespace[TemplateNamespace.modulesKey] = dictionary
        namespace["modules"] = dictionary  // Tornado's name for the same namespace
        return namespace
    }

    /// `{% module linkify(text) %}`: needs no handler, so one serves every render.
    private static let linkifyModule = TemplateValue.function(
        TemplateFunction("linkify") { .string(Escape.linkify($0.value(0, "text")?.text ?? "")) })
}

/// A function every template can call; it gets the rendering handler first.
/// Tornado: an entry of the `ui_methods` setting.
public typealias UIMethod = @Sendable (RequestHandler, TemplateArguments) throws -> TemplateValue

/// The handler as template functions capture it. A render runs on the handler's own thread and
/// the namespace does not outlive it, so the reference never crosses threads.
struct HandlerReference: @unchecked Sendable {
    // @unchecked: `TemplateFunction` wants a `Sendable` closure, and this reference lets one
    // capture the non-`Sendable` handler; safe because only that render, on the handler's
    // thread, calls it (see above).
    let handler: RequestHandler

    /// `{% module name(...) %}`: the request's instance of `module` renders, made at its first use.
    func moduleFunction(_ name: String, _ module: UIModule.Type) -> TemplateValue {
        .function(
            TemplateFunction(name) { arguments in
                let active: UIModule
                if let used = handler.activeModules.first(where: { $0.name == name }) {
                    active = used.module
                } else {
                    active = module.init(handler: handler)
                    handler.activeModules.append((name, active))
                }
                return .string(try active.render(arguments))
            })
    }
}

/// `request` in a template, with Tornado's `HTTPServerRequest` attribute names.
struct RequestTemplateObject: TemplateObject {
    let request: ServerRequest

    func templateAttribute(_ name: String) -> TemplateValue? {
        switch name {
        case "method": .string(request.method)
        case "uri": .string(request.uri)
        case "path": .string(request.path)
        case "query": .string(request.query)
        case "version": .string(request.version)
        case "remote_ip": .string(request.remoteIP)
        case "protocol": .string(request.protocol)
        case "host": .string(request.host)
        case "host_name": .string(request.hostName)
        case "full_url": .function(TemplateFunction("full_url") { [request] _ in .string(request.fullURL) })
        case "headers": .object(HeadersTemplateObject(headers: request.headers))
        case "cookies":
            .dictionary(
                TemplateDictionary(request.cookies.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        default: nil
        }
    }
}

/// `request.headers` in a template: names match in any case, and repeated fields are joined
/// with commas, as Tornado's `HTTPHeaders` reads them.
struct HeadersTemplateObject: TemplateObject {
    let headers: HTTPHeaders

    func templateAttribute(_ name: String) -> TemplateValue? {
        let values = headers.values(for: name)
        return values.isEmpty ? nil : .string(values.joined(separator: ","))
    }
}
