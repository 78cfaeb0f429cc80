extension Settings {
    /// A setting as `RequestHandler.requireSetting` finds it by name.
    struct Named: Sendable {
        /// Tornado's key (`cookie_secret`); `nil` for a setting Tornado does not have.
        let tornadoKey: String?
        /// The property's name (`cookieSecret`), and any other name it answers to.
        let properties: [String]
        /// Whether the setting is "defined" in Tornado's sense: `settings.get(key)` is truthy.
        let isSet: @Sendable (Settings) -> Bool
    }

    /// The setting called `name`, by Tornado's key or by property name; `nil` for none.
    static func named(_ name: String) -> Named? {
        namedSettings.first { $0.tornadoKey == name || $0.properties.contains(name) }
    }

    /// Every setting, with Python's truthiness for "defined": `false`, `nil`, an empty string
    /// or collection and zero are not; a setting that always has a value (a struct, a class)
    /// always is. Where `nil` follows `debug`, the value in force counts.
    private static let namedSettings: [Named] = [
        Named(tornadoKey: "debug", properties: ["debug"]) { $0.debug },
        Named(tornadoKey: "serve_traceback", properties: ["serveTraceback"]) { $0.effectiveServeTraceback },
        Named(tornadoKey: "autoreload", properties: ["autoreload"]) { $0.effectiveAutoreload },
        Named(tornadoKey: "default_handler_class", properties: ["defaultHandler", "defaultHandlerClass"]) {
            $0.defaultHandler != nil
        },
        Named(tornadoKey: "default_host", properties: ["defaultHost"]) { isText($0.defaultHost) },
        Named(tornadoKey: "log_function", properties: ["logFunction"]) { $0.logFunction != nil },
        Named(tornadoKey: nil, properties: ["serverHeader"]) { isText($0.serverHeader) },
        Named(tornadoKey: "cookie_secret", properties: ["cookieSecret"]) {
            isText($0.cookieSecret) || !$0.cookieSecretVersions.isEmpty
        },
        Named(tornadoKey: nil, properties: ["cookieSecretVersions"]) { !$0.cookieSecretVersions.isEmpty },
        Named(tornadoKey: "key_version", properties: ["keyVersion"]) { ($0.keyVersion ?? 0) != 0 },
        Named(tornadoKey: "login_url", properties: ["loginURL"]) { isText($0.loginURL) },
        Named(tornadoKey: "xsrf_cookies", properties: ["xsrfCookies"]) { $0.xsrfCookies },
        Named(tornadoKey: "xsrf_cookie_version", properties: ["xsrfCookieVersion"]) { $0.xsrfCookieVersion != 0 },
        Named(tornadoKey: "xsrf_cookie_kwargs", properties: ["xsrfCookieOptions"]) { _ in true },
        Named(tornadoKey: "xsrf_cookie_name", properties: ["xsrfCookieName"]) { !$0.xsrfCookieName.isEmpty },
        Named(tornadoKey: "cross_origin_protection", properties: ["crossOriginProtection"]) {
            $0.crossOriginProtection
        },
        Named(tornadoKey: "trusted_origins", properties: ["trustedOrigins"]) { !$0.trustedOrigins.isEmpty },
        Named(tornadoKey: "static_path", properties: ["staticPath"]) { isText($0.staticPath) },
        Named(tornadoKey: "static_url_prefix", properties: ["staticURLPrefix"]) { !$0.staticURLPrefix.isEmpty },
        Named(tornadoKey: "static_handler_class", properties: ["staticHandlerClass"]) { _ in true },
        Named(tornadoKey: "static_handler_args", properties: ["staticHandlerArgs"]) { _ in true },
        Named(tornadoKey: "static_hash_cache", properties: ["staticHashCache"]) { $0.effectiveStaticHashCache },
        Named(tornadoKey: nil, properties: ["staticFileCacheEntries"]) { $0.staticFileCacheEntries != 0 },
        Named(tornadoKey: nil, properties: ["staticFileCacheMaxFileSize"]) { $0.staticFileCacheMaxFileSize != 0 },
        Named(tornadoKey: nil, properties: ["translations"]) { _ in true },
        Named(tornadoKey: "template_path", properties: ["templatePath"]) { isText($0.templatePath) },
        Named(tornadoKey: "template_loader", properties: ["templateLoader"]) { $0.templateLoader != nil },
        Named(tornadoKey: "compiled_template_cache", properties: ["compiledTemplateCache"]) {
            $0.effectiveCompiledTemplateCache
        },
        Named(tornadoKey: "autoescape", properties: ["autoescape"]) { isText($0.autoescape) },
        Named(tornadoKey: "template_whitespace", properties: ["templateWhitespace"]) { $0.templateWhitespace != nil },
        Named(tornadoKey: "ui_methods", properties: ["uiMethods"]) { !$0.uiMethods.isEmpty },
        Named(tornadoKey: "ui_modules", properties: ["uiModules"]) { !$0.uiModules.isEmpty },
        Named(tornadoKey: "websocket_ping_interval", properties: ["websocketPingInterval"]) {
            ($0.websocketPingInterval ?? .zero) != .zero
        },
        Named(tornadoKey: "websocket_ping_timeout", properties: ["websocketPingTimeout"]) {
            ($0.websocketPingTimeout ?? .zero) != .zero
        },
        Named(tornadoKey: "websocket_max_message_size", properties: ["websocketMaxMessageSize"]) {
            $0.websocketMaxMessageSize != 0
        },
    ]

    private static func isText(_ value: String?) -> Bool {
        value.map { !$0.isEmpty } ?? false
    }
}
