import Testing

@testable import Gale

/// Loading CSV and `.mo` translations, with bad input next to good: a bad row or file is
/// skipped and recorded, everything else still loads, and nothing traps.
@Suite struct LocaleLoadingTests {
    @Test func csvDirectoryLoadsEveryGoodFile() throws {
        let translations = try LocaleFixtures.csv()
        #expect(translations.supportedLocales == ["en_US", "es", "es_LA", "fr_FR", "pt_BR", "sv_SE"])
        #expect(translations.locale(for: "sv_SE").translate("Home") == "Home")  // an empty file is a locale
        // A BOM, CRLF line ends, a lone CR and a CRLF inside quotes (read as \n).
        let french = translations.locale(for: "fr_FR")
        #expect(french.translate("Home") == "Accueil")
        #expect(french.translate("Settings") == "Paramètres")
        #expect(french.translate("Help") == "Aide")
        #expect(french.translate("Line\nbreak") == "Saut\nde ligne")
    }

    @Test func csvQuotingAndSkippedRows() throws {
        let translations = try LocaleFixtures.csv()
        let portuguese = translations.locale(for: "pt_BR")
        #expect(portuguese.translate("He said \"hi\"") == "Ele disse \"oi\"")
        #expect(portuguese.translate("Two\nlines") == "Duas\nlinhas")
        #expect(portuguese.translate("Padded inside") == "dentro")
        #expect(portuguese.translate("Home") == "Página inicial")  // the later row wins
        #expect(portuguese.translate("Final") == "Unterminated")  // a quote left open at the end
        #expect(portuguese.translate("Blank plural") == "Plural vazio")
        #expect(portuguese.translate("Bad") == "Bad")

        let rows = translations.issues.filter { $0.path.hasSuffix("pt_BR.csv") }
        #expect(rows.map(\.kind) == [.invalidRow, .invalidRow, .invalidRow])
        #expect(rows.map(\.line) == [10, 12, 18])  // OnlyOne, "dual", "Open quote,"Aberto (physical lines)
        #expect(rows[1].reason.contains("\"dual\""))
        let names = translations.issues.filter { $0.kind == .unrecognizedFileName }.map(\.path)
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasSuffix("Bad_name.csv") || $0.hasSuffix("es-MX.csv") })
        #expect(translations.issues.count == 5)
    }

    @Test func utf16CSVInBothByteOrders() throws {
        let translations = try Translations(csvDirectory: LocaleFixtures.path("csv-utf16"))
        #expect(translations.issues.isEmpty)
        #expect(translations.locale(for: "de_DE").translate("Sign out") == "Abmelden")
        #expect(translations.locale(for: "de_AT").translate("Home") == "Startseite")
        #expect(translations.locale(for: "de_AT").translate("Jänner") == "Jänner")
    }

    /// Each of these makes Tornado's whole `load_translations` raise.
    @Test func brokenCSVFilesAreSkippedAndNamed() throws {
        let translations = try Translations(csvDirectory: LocaleFixtures.path("csv-broken"))
        #expect(translations.supportedLocales == ["en_US", "it_IT"])
        let italian = translations.locale(for: "it_IT")
        #expect(italian.translate("Home") == "Pagina iniziale")
        #expect(italian.translate("Sign out") == "Esci")  // the row after the bad one
        #expect(italian.translate("Broken") == "Broken")
        let issues = Dictionary(
            translations.issues.map { (String($0.path.split(separator: "/").last ?? ""), $0) },
            uniquingKeysWith: { first, _ in first })
        #expect(issues["it_IT.csv"]?.kind == .invalidEncoding)
        #expect(issues["it_IT.csv"]?.line == 2)
        #expect(issues["en.backup.csv"]?.kind == .unrecognizedFileName)
        #expect(issues["nl_NL.csv"]?.kind == .unreadableFile)
        #expect(issues["ru_RU.csv"]?.kind == .invalidEncoding)
        #expect(translations.issues.count == 4)
    }

    @Test func aFieldPastTheCSVLimitSkipsOnlyItsRow() throws {
        let directory = try LocaleFixtures.temporaryDirectory()
        defer { LocaleFixtures.remove(directory) }
        let long = String(repeating: "é", count: CSVReader.fieldLimit)
        let text = "\"Home\",\"Inicio\"\n\"Long\",\"\(long)\"\n\"Longer\",\"\(long)x\"\n\"Sign out\",\"Salir\"\n"
        try LocaleFixtures.write(Array(text.utf8), to: directory + "/es.csv")
        let translations = try Translations(csvDirectory: directory)
        let spanish = translations.locale(for: "es")
        #expect(spanish.translate("Long") == long)  // exactly at the limit
        #expect(spanish.translate("Longer") == "Longer")
        #expect(spanish.translate("Sign out") == "Salir")
        #expect(translations.issues.map(\.line) == [3])
        #expect(translations.issues.first?.reason == "field larger than field limit (131072)")
    }

    @Test func missingDirectoryThrowsAndKeepsWhatWasLoaded() throws {
        var translations = try LocaleFixtures.csv()
        let missing = LocaleFixtures.path("no-such-directory")
        #expect(throws: TranslationError.self) { try translations.loadCSV(directory: missing) }
        do {
            try translations.loadGettext(directory: missing, domain: "gale")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .directoryNotFound)
            #expect(error.path == missing)
            #expect(error.description.hasPrefix(missing))
        }
        #expect(throws: TranslationError.self) {
            try translations.loadCSV(directory: LocaleFixtures.path("csv/es.csv"))  // a file, not a directory
        }
        #expect(translations.locale(for: "es_LA").translate("Home") == "Inicio")
    }

    @Test func loadingReplacesTheEarlierLoad() throws {
        var translations = try LocaleFixtures.csv()
        try translations.loadGettext(directory: LocaleFixtures.path("gettext"), domain: "gale")
        #expect(!translations.supportedLocales.contains("fr_FR"))
        #expect(translations.locale(for: "es_LA").pgettext(context: "law", message: "right") == "derecho")
        // Another domain in the same tree finds only fr_FR/LC_MESSAGES/other.mo.
        try translations.loadGettext(directory: LocaleFixtures.path("gettext"), domain: "other")
        #expect(translations.supportedLocales == ["en_US", "fr_FR"])
        #expect(translations.issues.isEmpty)
        try translations.loadGettext(directory: LocaleFixtures.path("gettext"), domain: "absent")
        #expect(translations.supportedLocales == ["en_US"])
    }

    @Test func badMOFilesAreSkippedAndNamed() throws {
        let translations = try LocaleFixtures.gettext()
        #expect(translations.supportedLocales == ["en_US", "es", "es_LA", "fr_CA", "pt_BR", "ru_RU"])
        let reasons = Dictionary(
            translations.issues.map { ($0.path.split(separator: "/").dropLast(2).last.map(String.init) ?? "", $0) },
            uniquingKeysWith: { first, _ in first })
        #expect(translations.issues.allSatisfy { $0.kind == .invalidMOFile && $0.path.hasSuffix("/gale.mo") })
        #expect(reasons["zz"]?.reason == "bad magic number")
        #expect(reasons["xx_TR"]?.reason.hasPrefix("truncated") == true)
        #expect(reasons["eo"]?.reason == "Plural-Forms: unexpected token in plural form: !")
        #expect(translations.issues.count == 3)
    }

    @Test func moByteOrderAndHeader() throws {
        let little = try GettextCatalog(
            moFile: try LocaleFixtures.bytes("gettext/es_LA/LC_MESSAGES/gale.mo"), path: "es_LA.mo")
        let big = try GettextCatalog(
            moFile: try LocaleFixtures.bytes("gettext/pt_BR/LC_MESSAGES/gale.mo"), path: "pt.mo")
        #expect(little.metadata["plural-forms"] == "nplurals=2; plural=(n != 1);")
        #expect(little.messages["law\u{4}right"] == "derecho")
        #expect(little.plurals["organization\u{4}club"] == ["club", "clubes"])
        #expect(big.messages["Home"] == "Início")
        #expect(big.plurals["apple"] == ["maçã", "maçãs"])
        #expect(big.pluralRule == .germanic)
    }

    @Test func moHeaderProblems() throws {
        func catalog(_ header: String, _ entries: [(String, String)] = []) throws(TranslationError) -> GettextCatalog {
            try GettextCatalog(moFile: MOWriter.file([("", header)] + entries), path: "test.mo")
        }
        #expect(throws: TranslationError.self) { try catalog("Content-Type: text/plain\n") }
        #expect(throws: TranslationError.self) { try catalog("Content-Type: text/plain; charset=CHARSET\n") }
        #expect(throws: TranslationError.self) { try catalog("Plural-Forms: plural=(n != 1); nplurals=2\n") }
        #expect(throws: TranslationError.self) {
            try catalog("Content-Type: text/plain; charset=ASCII\n", [("Home", "Startseite ä")])
        }
        let latin = try catalog("Content-Type: text/plain; charset=latin-1\n")
        #expect(latin.messages[""] == "Content-Type: text/plain; charset=latin-1\n")
        // Plural-Forms is read on its own line, as Python does: split over two lines it has
        // no plural= in its second part.
        #expect(throws: TranslationError.self) { try catalog("Plural-Forms: nplurals=3;\n plural=(n==1 ? 0 : 2);\n") }
        let polish = try catalog(
            "Language-Team: Gale\n <gale@example.invalid>\nPlural-Forms: nplurals=3; "
                + "plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n")
        // A line without a colon continues the value before it.
        #expect(polish.metadata["language-team"] == "Gale\n<gale@example.invalid>")
        #expect([1, 2, 5, 22, 25].map { polish.pluralRule.index(for: $0) } == [0, 1, 2, 1, 2])
    }

    @Test func garbageMOFilesNeverTrap() throws {
        let good = try LocaleFixtures.bytes("gettext/ru_RU/LC_MESSAGES/gale.mo")
        var generator = SplitMix(seed: 0x5EED)
        for _ in 0..<3000 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            // Either a catalog or a typed error naming the file; never a trap.
            do {
                _ = try GettextCatalog(moFile: bytes, path: "fuzz.mo")
            } catch {
                #expect(error.path == "fuzz.mo")
            }
        }
        // Table entries pointing far past the end, and a huge string count.
        var header: [UInt8] = [0xDE, 0x12, 0x04, 0x95, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 28]
        header += [0xFF, 0xFF, 0xFF, 0xF0] + [UInt8](repeating: 0xFF, count: 12)
        #expect(throws: TranslationError.self) { try GettextCatalog(moFile: header, path: "x.mo") }
    }

    @Test func supportedLocalesFollowTheDefault() throws {
        var translations = try LocaleFixtures.csv()
        translations.defaultLocale = "de_DE"
        #expect(translations.supportedLocales.contains("de_DE"))
        #expect(!translations.supportedLocales.contains("en_US"))
        #expect(translations.getClosest(["xx"]).code == "de_DE")
        #expect(Translations().supportedLocales == ["en_US"])
        #expect(Translations().locale(for: "es_LA").translate("Home") == "Home")
    }
}

/// A deterministic random number generator, so a fuzz failure can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes small little-endian `.mo` files for tests, laid out as `msgfmt` lays them out.
enum MOWriter {
    static func file(_ entries: [(String, String)]) -> [UInt8] {
        let sorted = entries.map { (Array($0.0.utf8), Array($0.1.utf8)) }.sorted {
            $0.0.lexicographicallyPrecedes($1.0)
        }
        var ids: [UInt8] = []
        var strings: [UInt8] = []
        var idTable: [(Int, Int)] = []
        var stringTable: [(Int, Int)] = []
        for (id, string) in sorted {
            idTable.append((id.count, ids.count))
            ids += id + [0]
            stringTable.append((string.count, strings.count))
            strings += string + [0]
        }
        let idStart = 28 + 16 * sorted.count
        let stringStart = idStart + ids.count
        var words = [0x9504_12DE, 0, sorted.count, 28, 28 + 8 * sorted.count, 0, 0]
        words += idTable.flatMap { [$0.0, $0.1 + idStart] }
        words += stringTable.flatMap { [$0.0, $0.1 + stringStart] }
        return words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } } + ids + strings
    }
}
