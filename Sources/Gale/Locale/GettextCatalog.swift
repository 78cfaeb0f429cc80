/// The messages of one `.mo` file, as Python's `gettext.GNUTranslations` holds them: plain
/// entries by msgid, plural entries by their singular msgid with one string per form, and the
/// rule that picks a form for a count. A `msgctxt` is part of the msgid (`context\u{4}msgid`).
struct GettextCatalog: Sendable, Equatable {
    /// Entries without a plural, including the header under the empty msgid.
    var messages: [String: String] = [:]
    /// Plural entries: singular msgid to the translated forms, in order.
    var plurals: [String: [String]] = [:]
    /// From the header's `Plural-Forms`; `n != 1` without one.
    var pluralRule = PluralRule.germanic
    /// The header's fields, keys lowercased (`content-type`, `plural-forms`, ...).
    var metadata: [String: String] = [:]

    /// `GNUTranslations.gettext` without fallback: the plain entry, else the form a plural
    /// entry has for 1.
    func gettext(_ message: String) -> String? {
        if let translation = messages[message] { return translation }
        guard let forms = plurals[message], let index = pluralRule.index(for: 1), forms.indices.contains(index)
        else { return nil }
        return forms[index]
    }

    /// `GNUTranslations.ngettext` without fallback: the form for `count`, if the entry has it.
    func ngettext(_ singular: String, _ count: Int) -> String? {
        guard let forms = plurals[singular], let index = pluralRule.index(for: count), forms.indices.contains(index)
        else { return nil }
        return forms[index]
    }
}
