/// The `Accept-Language` request header (RFC 9110 §12.5.4).
public enum AcceptLanguage {
    /// The language codes of an `Accept-Language` value, most preferred first, as Tornado's
    /// `RequestHandler.get_browser_locale` reads them; pass the result to
    /// ``Translations/getClosest(_:)-([String])``.
    ///
    /// Entries are split on `,` and trimmed; the code is what comes before the first `;`. A
    /// `q=` in the *second* `;`-part gives the quality, parsed as Python's `float()` parses it;
    /// a quality that does not parse or is negative counts as 0, and entries with quality 0
    /// (or NaN) are dropped. Equal qualities keep the header's order.
    ///
    /// ```swift
    /// AcceptLanguage.preferredCodes("fr;q=0.5, es-LA, en;q=0.8")  // ["es-LA", "en", "fr"]
    /// ```
    ///
    /// Like Tornado, a space before the `;` stays in the code (`"fr ;q=0.5"` gives `"fr "`,
    /// which matches no locale), and `*` is kept as a code that matches none.
    public static func preferredCodes(_ header: String) -> [String] {
        var entries: [(code: String, quality: Double, position: Int)] = []
        for (position, language) in header.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let parts = PythonText.strip(language).split(separator: ";", omittingEmptySubsequences: false)
            var quality = 1.0
            if parts.count > 1 {
                let parameter = PythonText.strip(parts[1])
                if parameter.hasPrefix("q=") {
                    quality = PythonText.float(parameter.dropFirst(2)) ?? 0
                    if quality < 0 { quality = 0 }
                }
            }
            if quality > 0 { entries.append((String(parts[0]), quality, position)) }
        }
        entries.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.position < $1.position }
        return entries.map(\.code)
    }
}
