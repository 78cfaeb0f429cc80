@testable import Gale

/// CSV translation files (Tornado's `load_translations`): the input is `LOCALE.csv`, as read from
/// disk (UTF-8 or UTF-16 with a BOM). Its messages are then translated, singular and plural.
enum CSVFuzz {
    static func run(_ input: FuzzInput) {
        guard let text = try? TranslationFiles.csvText(input.bytes, path: "es.csv") else { return }
        var issues: [TranslationError] = []
        let catalog = Translations.csvCatalog(text, path: "es.csv", issues: &issues)
        var translations = Translations(defaultLocale: "en_US")
        translations.catalogs["es"] = .csv(catalog)
        let locale = translations.locale(for: "es")
        for row in CSVReader.rows(text).prefix(32) {
            guard let message = row.fields.first.flatMap({ String(validating: $0, as: UTF8.self) }) else { continue }
            _ = locale.translate(message)
            for count in [0, 1, 2] { _ = locale.translate(message, pluralMessage: message + "s", count: count) }
        }
    }
}
