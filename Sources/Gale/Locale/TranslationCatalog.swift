/// The translations one locale uses: Tornado's `CSVLocale` dictionaries or `GettextLocale`'s
/// `gettext` object.
enum TranslationCatalog: Sendable, Equatable {
    /// Tornado's CSV format, also used (empty) for a locale with no translations at all.
    case csv(CSVCatalog)
    /// `.mo` catalogs, the locale's own first and then the ones gettext falls back to.
    case gettext([GettextCatalog])

    static let untranslated = TranslationCatalog.csv(CSVCatalog())
}

/// One CSV file: Tornado's `{"unknown": {...}, "singular": {...}, "plural": {...}}`.
struct CSVCatalog: Sendable, Equatable {
    /// Rows without a plural indicator (or with `unknown` or an empty one).
    var unknown: [String: String] = [:]
    /// Rows marked `singular`: used when `count == 1`.
    var singular: [String: String] = [:]
    /// Rows marked `plural`, keyed by the *plural* English string: used when `count != 1`.
    var plural: [String: String] = [:]

    /// `CSVLocale.translate`.
    func translate(_ message: String, pluralMessage: String?, count: Int?) -> String {
        if let pluralMessage, let count {
            return count != 1 ? plural[pluralMessage] ?? pluralMessage : singular[message] ?? message
        }
        return unknown[message] ?? message
    }
}

extension [GettextCatalog] {
    /// `GNUTranslations.gettext` along the fallback chain.
    func gettext(_ message: String) -> String {
        for catalog in self {
            if let translation = catalog.gettext(message) { return translation }
        }
        return message
    }

    /// `GNUTranslations.ngettext` along the fallback chain.
    func ngettext(_ singular: String, _ plural: String, _ count: Int) -> String {
        for catalog in self {
            if let translation = catalog.ngettext(singular, count) { return translation }
        }
        return count == 1 ? singular : plural
    }
}
