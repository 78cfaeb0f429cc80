@testable import Gale

/// `Accept-Language` headers: the codes a browser prefers, and the locale Gale picks for them
/// from a set of translations (Tornado's `get_browser_locale`).
enum AcceptLanguageFuzz {
    static let translations: Translations = {
        var translations = Translations(defaultLocale: "en_US")
        for code in ["es", "es_LA", "fr", "zh_CN", "pt_BR"] {
            translations.catalogs[code] = .csv(CSVCatalog())
        }
        return translations
    }()

    static func run(_ input: FuzzInput) {
        let header = input.text
        _ = AcceptLanguage.preferredCodes(header)
        let locale = translations.browserLocale(acceptLanguage: header)
        precondition(locale.code == "en_US" || translations.supportedLocales.contains(locale.code), locale.code)
    }
}
