extension Translations {
    /// Loads gettext catalogs from `directory/LANG/LC_MESSAGES/DOMAIN.mo`, replacing whatever
    /// was loaded before (Tornado `load_gettext_translations(directory, domain)`).
    ///
    /// The tree is the one `msgfmt` output goes into, as under `/usr/share/locale`:
    ///
    /// ```
    /// locale/es_LA/LC_MESSAGES/myapp.mo
    /// locale/es/LC_MESSAGES/myapp.mo
    /// ```
    ///
    /// Each `LANG` directory with the file becomes a supported locale (names starting with `.`
    /// are ignored, as by Tornado's `glob`). Like Python's `gettext.translation`, a catalog for
    /// `ll_CC` falls back to the one for `ll` when that exists: strings missing from `es_LA.mo`
    /// are looked up in `es.mo`. Contexts (`msgctxt`) and plural forms, with the catalog's own
    /// `Plural-Forms` rule, work as in gettext.
    ///
    /// A file gettext would refuse (truncated, bad magic number or version, a charset or
    /// `Plural-Forms` it cannot use) is skipped with an entry in ``issues`` naming it; its
    /// language is not supported, as in Tornado, which logs the error.
    ///
    /// - Throws: ``TranslationError/Kind/directoryNotFound`` when `directory` is not a
    ///   directory; nothing is changed then. (Tornado's `glob` finds nothing there and loads no
    ///   translations without a word, which hides a mistyped path.)
    public mutating func loadGettext(directory: String, domain: String) throws(TranslationError) {
        let names = try TranslationFiles.names(in: directory)
        var files: [String: GettextCatalog] = [:]
        var issues: [TranslationError] = []
        for language in names where !language.hasPrefix(".") {
            let path = TranslationFiles.join(directory, language, "LC_MESSAGES", domain + ".mo")
            guard FileSystem.status(path) != nil else { continue }
            do {
                files[language] = try GettextCatalog(moFile: try TranslationFiles.read(path), path: path)
            } catch {
                issues.append(error)
            }
        }
        var catalogs: [String: TranslationCatalog] = [:]
        for (language, catalog) in files {
            var chain = [catalog]
            if let underscore = language.firstIndex(of: "_"), let fallback = files[String(language[..<underscore])] {
                chain.append(fallback)
            }
            catalogs[language] = .gettext(chain)
        }
        self.catalogs = catalogs
        self.issues = issues
    }
}
