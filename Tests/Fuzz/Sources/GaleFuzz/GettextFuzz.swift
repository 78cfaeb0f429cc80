@testable import Gale

/// gettext `.mo` files (Tornado's `load_gettext_translations`, through Python's `gettext`): the
/// input is the file. Every message it holds is looked up, and plural forms are chosen for a
/// spread of counts, which runs the file's `Plural-Forms` expression.
enum GettextFuzz {
    static let counts = [0, 1, 2, 3, 5, 11, 21, 100, 1001, -1, Int.max, Int.min]

    static func run(_ input: FuzzInput) {
        guard let catalog = try? GettextCatalog(moFile: input.bytes, path: "fuzz.mo") else { return }
        for message in catalog.messages.keys.prefix(64) { _ = catalog.gettext(message) }
        for singular in catalog.plurals.keys.prefix(16) {
            for count in counts { _ = catalog.ngettext(singular, count) }
        }
        for count in counts { _ = catalog.ngettext("missing", count) }
    }
}
