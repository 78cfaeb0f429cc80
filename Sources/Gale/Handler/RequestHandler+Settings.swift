extension RequestHandler {
    /// Throws unless the application's setting `name` is defined, naming it and what needs it.
    /// Tornado: `require_setting(name, feature="this feature")`.
    ///
    /// ```swift
    /// try requireSetting("login_url", feature: "the sign-in page")
    /// ```
    ///
    /// `name` is Tornado's key (`cookie_secret`, `login_url`, `template_path`, `static_path`,
    /// `xsrf_cookies`, `default_host` ...) or the `Settings` property (`cookieSecret`), so code
    /// ported from Tornado keeps its strings. "Defined" is Tornado's truthiness: `false`, `nil`,
    /// an empty string or collection and zero are not (so `key_version` 0 is not, as in
    /// Tornado); `cookie_secret` is defined by `cookieSecret` or `cookieSecretVersions`; a
    /// setting that `debug` decides when `nil` counts with the value in force; one that always
    /// has a value (`static_url_prefix`, `xsrf_cookie_name`, `static_handler_class`) always
    /// is, where Tornado counts only keys given. A name that is no setting throws too (Tornado
    /// settings may hold any key; Gale's are typed, so such a name is a typo).
    public func requireSetting(
        _ name: String, feature: String = "this feature", fileID: String = #fileID, line: Int = #line
    ) throws(ProgrammerError) {
        guard let setting = Settings.named(name) else {
            throw ProgrammerError(
                "requireSetting: there is no setting '\(name)'; name one by Tornado's key ('cookie_secret') "
                    + "or its Settings property ('cookieSecret')", fileID: fileID, line: line)
        }
        guard setting.isSet(application.settings) else {
            let property = setting.properties.first.map { " (Settings.\($0))" } ?? ""
            throw ProgrammerError(
                "You must define the '\(name)' setting\(property) in your application to use \(feature)",
                fileID: fileID, line: line)
        }
    }
}
