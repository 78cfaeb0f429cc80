/// A language to show a user: translations for it plus friendly dates, lists and numbers.
///
/// Tornado: `tornado.locale.Locale` (and its `CSVLocale` and `GettextLocale` subclasses). Get
/// one from the application's ``Translations`` (`translations.getClosest(["es-MX", "en"])`,
/// Tornado's `tornado.locale.get(...)`), or make an untranslated one with ``init(code:)``.
/// A `Locale` is a small immutable value that shares its catalog, so it is cheap to copy and
/// safe to hand to any task.
///
/// ```swift
/// let locale = translations.getClosest(["es_LA"])
/// locale.translate("Home")                                  // "Inicio"
/// locale.translate("1 apple", pluralMessage: "%(count)d apples", count: 3)
/// ```
///
/// The type shares its name with Foundation's `Locale`; in a file that imports both, write
/// `Gale.Locale`.
public struct Locale: Sendable {
    /// The locale code, e.g. `es_LA` (Tornado `code`).
    public let code: String
    /// The language's own name from ``Locale/names``, or `Unknown` (Tornado `name`).
    public let name: String
    /// Whether the language is written right to left: codes starting with `fa`, `ar` or `he`
    /// (Tornado `rtl`).
    public let rtl: Bool

    let catalog: TranslationCatalog

    /// A locale with no translations: ``translate(_:pluralMessage:count:)`` returns the message
    /// itself (Tornado: `CSVLocale(code, {})`, what `Locale.get` gives for a code without a
    /// translation file).
    public init(code: String) {
        self.init(code: code, catalog: .untranslated)
    }

    init(code: String, catalog: TranslationCatalog) {
        self.code = code
        self.name = Self.names[code]?.name ?? "Unknown"
        self.rtl = ["fa", "ar", "he"].contains { code.hasPrefix($0) }
        self.catalog = catalog
    }

    /// The translation of `message` (Tornado `Locale.translate`, the `_()` of templates).
    ///
    /// With `pluralMessage` and `count`, returns the translation of `message` when
    /// `count == 1` and of `pluralMessage` otherwise (for gettext, the form the catalog's
    /// `Plural-Forms` picks for `count`). Untranslated strings come back unchanged. Tornado
    /// asserts that a plural message comes with a count; here a plural message without a count
    /// is ignored and `message` is translated on its own.
    public func translate(_ message: String, pluralMessage: String? = nil, count: Int? = nil) -> String {
        switch catalog {
        case .csv(let csv):
            return csv.translate(message, pluralMessage: pluralMessage, count: count)
        case .gettext(let chain):
            if let pluralMessage, let count { return chain.ngettext(message, pluralMessage, count) }
            return chain.gettext(message)
        }
    }

    /// The translation of `message` in `context`, which tells apart the same English word with
    /// different meanings (Tornado `Locale.pgettext`): `pgettext(context: "law", message: "right")`
    /// and `pgettext(context: "good", message: "right")`.
    ///
    /// A gettext catalog stores these under `context + "\u{4}" + message` (a `msgctxt` in the
    /// `.po` file). When that key is missing the result is `message` untranslated; with a
    /// plural, the context-free plural translation is tried first, as Tornado does. CSV files
    /// have no contexts, so a CSV locale translates `message` as ``translate(_:pluralMessage:count:)``
    /// does (Tornado also logs a warning each time).
    public func pgettext(context: String, message: String, pluralMessage: String? = nil, count: Int? = nil) -> String {
        guard case .gettext(let chain) = catalog else {
            return translate(message, pluralMessage: pluralMessage, count: count)
        }
        let separator = "\u{4}"
        if let pluralMessage, let count {
            let translation = chain.ngettext(context + separator + message, context + separator + pluralMessage, count)
            guard translation.unicodeScalars.contains("\u{4}") else { return translation }
            return chain.ngettext(message, pluralMessage, count)
        }
        let translation = chain.gettext(context + separator + message)
        return translation.unicodeScalars.contains("\u{4}") ? message : translation
    }

    /// `parts` joined for a sentence: `A, B and C`, `A and B`, `A`, or the empty string
    /// (Tornado `Locale.list`). The `%(commas)s and %(last)s` pattern is translated; Persian
    /// joins the leading parts with ` و ` instead of `, `.
    public func list(_ parts: [String]) -> String {
        guard let last = parts.last else { return "" }
        guard parts.count > 1 else { return last }
        let comma = code.hasPrefix("fa") ? " \u{648} " : ", "
        return PercentFormat.format(
            translate("%(commas)s and %(last)s"),
            ["commas": .string(parts.dropLast().joined(separator: comma)), "last": .string(last)])
    }

    /// `value` with thousands separators, `1,234,567`, for `en` and `en_US`; the plain number
    /// for every other locale (Tornado `Locale.friendly_number`).
    ///
    /// Tornado groups the digits of `str(value)` sign included, so it writes -123 as `-,123`;
    /// Gale keeps the sign out of the grouping and writes `-123`.
    public func friendlyNumber(_ value: Int) -> String {
        guard code == "en" || code == "en_US" else { return "\(value)" }
        var digits = Array("\(value.magnitude)")
        var groups: [String] = []
        while !digits.isEmpty {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(min(3, digits.count))
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
