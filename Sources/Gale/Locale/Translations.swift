/// The translations an application has loaded, and the choice of a locale for a user.
///
/// Tornado keeps this in module globals of `tornado.locale` (`_translations`,
/// `_supported_locales`, `_default_locale`, `_use_gettext`) changed by `load_translations`,
/// `load_gettext_translations` and `set_default_locale`. Gale keeps it in this value, which the
/// application owns; it is `Sendable`, so it can be built at start-up and read from any task.
///
/// ```swift
/// var translations = try Translations(csvDirectory: "locale")   // es_LA.csv, fr_FR.csv, ...
/// translations.getClosest(["es-MX", "en"]).translate("Home")
/// translations.browserLocale(acceptLanguage: "fr-CH, fr;q=0.9, en;q=0.8")
/// ```
///
/// Loading never stops at a bad file or row: it is skipped and kept in ``issues``. Only a
/// missing directory throws.
public struct Translations: Sendable {
    /// The language the application's own strings are written in, `en_US` unless changed
    /// (Tornado `set_default_locale`). It is always supported, and is what
    /// ``getClosest(_:)-([String])`` falls back to.
    public var defaultLocale: String

    /// What the last load skipped, one entry per bad file or row, for the application to log
    /// (Tornado logs them with `gen_log.error`).
    public internal(set) var issues: [TranslationError] = []

    /// Catalogs by locale code, from the last load.
    var catalogs: [String: TranslationCatalog] = [:]

    /// No translations: every locale returns its messages unchanged.
    public init(defaultLocale: String = "en_US") {
        self.defaultLocale = defaultLocale
    }

    /// Loads `LOCALE.csv` files (``loadCSV(directory:)``).
    public init(csvDirectory directory: String, defaultLocale: String = "en_US") throws(TranslationError) {
        self.init(defaultLocale: defaultLocale)
        try loadCSV(directory: directory)
    }

    /// Loads `LANG/LC_MESSAGES/DOMAIN.mo` files (``loadGettext(directory:domain:)``).
    public init(gettextDirectory directory: String, domain: String, defaultLocale: String = "en_US")
        throws(TranslationError)
    {
        self.init(defaultLocale: defaultLocale)
        try loadGettext(directory: directory, domain: domain)
    }

    /// Every locale code with translations, plus ``defaultLocale`` (Tornado
    /// `get_supported_locales`).
    public var supportedLocales: Set<String> {
        Set(catalogs.keys).union([defaultLocale])
    }

    /// The locale for exactly `code` (Tornado `Locale.get(code)`).
    ///
    /// Tornado asserts that `code` is supported; here an unsupported code gives a locale with
    /// that code and no translations. To pick the best supported locale for a user, use
    /// ``getClosest(_:)-([String])``.
    public func locale(for code: String) -> Locale {
        Locale(code: code, catalog: catalogs[code] ?? .untranslated)
    }

    /// The first of `codes` that is supported, exactly or by its language alone, else the
    /// default locale (Tornado `Locale.get_closest`, and `tornado.locale.get(*codes)`).
    ///
    /// Each code is tried in order: `-` becomes `_`; a code with more than one `_` is skipped;
    /// `ll_cc` is matched as `ll_CC`, then as `ll`. So `es-mx` finds `es_MX`, then `es`, but
    /// never `es_LA`. Empty codes are skipped.
    public func getClosest(_ codes: [String]) -> Locale {
        func supported(_ code: String) -> Bool { code == defaultLocale || catalogs[code] != nil }
        for original in codes where !original.isEmpty {
            let parts = original.replacing("-", with: "_").split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { continue }
            let code = parts.count == 2 ? parts[0].lowercased() + "_" + parts[1].uppercased() : String(parts[0])
            if supported(code) { return locale(for: code) }
            let language = parts[0].lowercased()
            if supported(language) { return locale(for: language) }
        }
        return locale(for: defaultLocale)
    }

    /// ``getClosest(_:)-([String])`` for codes written out.
    public func getClosest(_ codes: String...) -> Locale {
        getClosest(codes)
    }

    /// The locale for a request's `Accept-Language` header (Tornado
    /// `RequestHandler.get_browser_locale`): the header's languages by preference
    /// (``AcceptLanguage/preferredCodes(_:)``), then ``getClosest(_:)-([String])``. Without a
    /// header, or with no language of non-zero quality, it is `getClosest([default])`.
    public func browserLocale(acceptLanguage header: String?, default: String = "en_US") -> Locale {
        let codes = header.map(AcceptLanguage.preferredCodes) ?? []
        return getClosest(codes.isEmpty ? [`default`] : codes)
    }
}
