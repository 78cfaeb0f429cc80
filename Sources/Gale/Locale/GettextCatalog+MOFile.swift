extension GettextCatalog {
    private static let littleEndianMagic: UInt32 = 0x9504_12DE
    private static let bigEndianMagic: UInt32 = 0xDE12_0495

    /// Parses a GNU `.mo` file as `GNUTranslations._parse` does, refusing what it refuses.
    ///
    /// Layout (GNU gettext manual, "The Format of GNU MO Files"): a 32-bit magic number that
    /// also gives the byte order, a revision whose major number must be 0 or 1, the number of
    /// strings, and the offsets of two tables of (length, offset) pairs, one for the msgids and
    /// one for the translations. Each string must end before the end of the file (it is
    /// followed by a NUL). Strings are decoded with the header's charset.
    init(moFile bytes: [UInt8], path: String) throws(TranslationError) {
        func invalid(_ reason: String) -> TranslationError {
            TranslationError(.invalidMOFile, path: path, reason: reason)
        }
        guard bytes.count >= 4 else { throw invalid("too short for a .mo header") }
        let bigEndian: Bool
        switch Self.word(bytes, at: 0, bigEndian: false) {
        case Self.littleEndianMagic: bigEndian = false
        case Self.bigEndianMagic: bigEndian = true
        default: throw invalid("bad magic number")
        }
        func word(_ offset: Int) throws(TranslationError) -> Int {
            guard let value = Self.word(bytes, at: offset, bigEndian: bigEndian) else {
                throw invalid("truncated: a table entry at byte \(offset) is past the end of the file")
            }
            return Int(value)
        }
        let revision = try word(4)
        guard revision >> 16 <= 1 else { throw invalid("bad version number \(revision >> 16)") }
        let count = try word(8)
        var idTable = try word(12)
        var translationTable = try word(16)

        var charset: String?
        for _ in 0..<count {
            let idLength = try word(idTable)
            let idOffset = try word(idTable + 4)
            let translationLength = try word(translationTable)
            let translationOffset = try word(translationTable + 4)
            guard idOffset + idLength < bytes.count, translationOffset + translationLength < bytes.count else {
                throw invalid("file is corrupt: a string runs past the end of the file")
            }
            let id = bytes[idOffset..<idOffset + idLength]
            let translation = bytes[translationOffset..<translationOffset + translationLength]
            if idLength == 0 {
                try readHeader(translation, charset: &charset, path: path)
            }
            func decode(_ text: ArraySlice<UInt8>) throws(TranslationError) -> String {
                guard let string = MOCharset.decode(text, charset: charset) else {
                    throw invalid("a string is not valid \(charset ?? "UTF-8")")
                }
                return string
            }
            if id.contains(0) {
                let ids = id.split(separator: 0, omittingEmptySubsequences: false)
                guard ids.count == 2 else { throw invalid("a plural msgid has more than two parts") }
                var forms: [String] = []
                for form in translation.split(separator: 0, omittingEmptySubsequences: false) {
                    forms.append(try decode(form))
                }
                plurals[try decode(ids[0])] = forms
            } else {
                messages[try decode(id)] = try decode(translation)
            }
            idTable += 8
            translationTable += 8
        }
    }

    /// The header entry: `Key: value` lines; a line without a colon continues the previous
    /// value. `Content-Type` must name a charset; `Plural-Forms` must have a `plural=` in its
    /// second `;`-separated part, as Python's parser requires.
    private mutating func readHeader(
        _ text: ArraySlice<UInt8>, charset: inout String?, path: String
    ) throws(TranslationError) {
        func invalid(_ reason: String) -> TranslationError {
            TranslationError(.invalidMOFile, path: path, reason: reason)
        }
        var lastKey: String?
        for rawLine in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard let decoded = String(validating: rawLine, as: UTF8.self) else {
                throw invalid("the header is not valid UTF-8")
            }
            let line = PythonText.strip(decoded)
            if line.isEmpty || (line.hasPrefix("#-#-#-#-#") && line.hasSuffix("#-#-#-#-#")) { continue }
            guard let colon = line.firstIndex(of: ":") else {
                if let lastKey { metadata[lastKey, default: ""] += "\n" + line }
                continue
            }
            let key = PythonText.strip(line[..<colon]).lowercased()
            let value = PythonText.strip(line[line.index(after: colon)...])
            metadata[key] = value
            lastKey = key
            if key == "content-type" {
                let parts = value.split(separator: "charset=", omittingEmptySubsequences: false)
                guard parts.count > 1 else { throw invalid("Content-Type has no charset") }
                let name = String(parts[1])
                guard MOCharset.isSupported(name) else { throw invalid("unsupported charset \(name)") }
                charset = name
            } else if key == "plural-forms" {
                let parts = value.split(separator: ";", omittingEmptySubsequences: false)
                let expression =
                    parts.count > 1 ? parts[1].split(separator: "plural=", omittingEmptySubsequences: false) : []
                guard expression.count > 1 else { throw invalid("Plural-Forms has no plural= in its second part") }
                do {
                    pluralRule = try PluralRule(expression: String(expression[1]))
                } catch {
                    throw invalid("Plural-Forms: \(error.reason)")
                }
            }
        }
    }

    private static func word(_ bytes: [UInt8], at offset: Int, bigEndian: Bool) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        let b = (UInt32(bytes[offset]), UInt32(bytes[offset + 1]), UInt32(bytes[offset + 2]), UInt32(bytes[offset + 3]))
        return bigEndian ? b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3 : b.3 << 24 | b.2 << 16 | b.1 << 8 | b.0
    }
}

/// The charsets a `.mo` header may name. Python accepts any codec; these are the ones gettext
/// catalogs use in practice. Without a header Gale reads UTF-8 (Python reads ASCII and refuses
/// anything else, so every file Python loads still loads the same).
enum MOCharset {
    private static let utf8 = ["utf_8", "utf8", "u8", "utf", "cp65001"]
    private static let ascii = ["ascii", "us_ascii", "646", "us", "ansi_x3.4_1968", "iso646_us"]
    private static let latin1 = ["latin_1", "latin1", "l1", "latin", "iso_8859_1", "iso8859_1", "8859", "cp819"]

    private static func normalized(_ name: String) -> String {
        PythonText.strip(name).lowercased().replacing("-", with: "_").replacing(" ", with: "_")
    }

    static func isSupported(_ name: String) -> Bool {
        let key = normalized(name)
        return utf8.contains(key) || ascii.contains(key) || latin1.contains(key)
    }

    static func decode(_ bytes: ArraySlice<UInt8>, charset: String?) -> String? {
        let key = charset.map(normalized) ?? "utf_8"
        if latin1.contains(key) {
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        if ascii.contains(key), bytes.contains(where: { $0 >= 0x80 }) { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
