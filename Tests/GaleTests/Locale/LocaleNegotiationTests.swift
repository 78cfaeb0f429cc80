import Testing

@testable import Gale

/// `Accept-Language` negotiation (Tornado `RequestHandler.get_browser_locale`) and
/// `Locale.get_closest`. Expected values are Tornado 6.6's.
@Suite struct LocaleNegotiationTests {
    @Test func codesAreOrderedByQuality() {
        #expect(AcceptLanguage.preferredCodes("es-LA,es;q=0.9,en;q=0.8") == ["es-LA", "es", "en"])
        #expect(AcceptLanguage.preferredCodes("fr;q=0.5, es-LA, en;q=0.8") == ["es-LA", "en", "fr"])
        // Ties keep the header's order.
        #expect(AcceptLanguage.preferredCodes("fr;q=0.5, es;q=0.5, pt;q=0.5, de") == ["de", "fr", "es", "pt"])
        #expect(AcceptLanguage.preferredCodes("fr; q=0.5, es;q= 0.7 ") == ["es", "fr"])
        #expect(AcceptLanguage.preferredCodes("fr;q=.5, es;q=5., pt;q=1e-1") == ["es", "fr", "pt"])
        #expect(AcceptLanguage.preferredCodes("fr;q=inf, es") == ["fr", "es"])
    }

    @Test func malformedQualities() {
        // Unparsable, negative, zero and NaN qualities drop the entry.
        #expect(AcceptLanguage.preferredCodes("en;q=abc, es-LA") == ["es-LA"])
        #expect(AcceptLanguage.preferredCodes("es;q=-1, fr;q=0.1") == ["fr"])
        #expect(AcceptLanguage.preferredCodes("es;q=0, fr;q=-0, pt;q=nan, de;q=0x1p-1, it;q=1e") == [])
        // Only the second ;-part is read, and only as `q=`.
        #expect(AcceptLanguage.preferredCodes("es;level=1;q=0.1, fr;q=0.5") == ["es", "fr"])
        #expect(AcceptLanguage.preferredCodes("es;Q=0.1, fr;q=0.5") == ["es", "fr"])
        #expect(AcceptLanguage.preferredCodes("es;q=0.5;q=0.9, fr;q=0.6") == ["fr", "es"])
        // Python's float(): underscores between digits, digits of any script.
        #expect(AcceptLanguage.preferredCodes("fr;q=1_0, es") == ["fr", "es"])
        #expect(AcceptLanguage.preferredCodes("fr;q=\u{660}.\u{665}, es;q=0.4") == ["fr", "es"])
        // Empty entries and spaces before `;` are kept, as Tornado keeps them (they match nothing).
        #expect(AcceptLanguage.preferredCodes(",,") == ["", "", ""])
        #expect(AcceptLanguage.preferredCodes("es ;q=0.9, *") == ["*", "es "])
    }

    @Test func pythonFloat() {
        #expect(PythonText.float(" 0.5 ") == 0.5)
        #expect(PythonText.float("+.5") == 0.5)
        #expect(PythonText.float("1_000.2_5") == 1000.25)
        #expect(PythonText.float("1E+2") == 100)
        #expect(PythonText.float("-Infinity") == -.infinity)
        #expect(PythonText.float("nan")?.isNaN == true)
        #expect(PythonText.float("\u{FF11}") == 1)  // fullwidth digit
        for invalid in ["", ".", "1e", "e1", "1__0", "_1", "1_", "0x10", "1.5.2", "1 0", "--1", "inf5", "½"] {
            #expect(PythonText.float(invalid) == nil, "\(invalid)")
        }
        #expect(PythonText.strip("\u{1C} x \u{A0}\u{3000}") == "x")
    }

    @Test func getClosestTriesTheFullCodeThenTheLanguage() throws {
        let translations = try LocaleFixtures.csv()  // es, es_LA, fr_FR, pt_BR, sv_SE; default en_US
        #expect(translations.getClosest(["es_LA"]).code == "es_LA")
        #expect(translations.getClosest(["ES-la"]).code == "es_LA")
        #expect(translations.getClosest(["es-MX"]).code == "es")
        #expect(translations.getClosest(["ES"]).code == "es")
        #expect(translations.getClosest(["zz", "fr-fr"]).code == "fr_FR")
        // No match on the language alone when only a regional variant is loaded.
        #expect(translations.getClosest(["fr"]).code == "en_US")
        #expect(translations.getClosest(["sv"]).code == "en_US")
        // Codes with more than one separator and empty codes are skipped.
        #expect(translations.getClosest(["a_b_c", "", "pt_BR"]).code == "pt_BR")
        #expect(translations.getClosest(["es_"]).code == "es")
        #expect(translations.getClosest(["_es", "-"]).code == "en_US")
        #expect(translations.getClosest([]).code == "en_US")
        #expect(translations.getClosest("xx", "pt-br").code == "pt_BR")
        #expect(translations.getClosest(["es_LA"]).translate("Home") == "Inicio")
    }

    @Test func browserLocale() throws {
        var translations = try LocaleFixtures.csv()
        #expect(translations.browserLocale(acceptLanguage: "es-LA,es;q=0.9").code == "es_LA")
        #expect(translations.browserLocale(acceptLanguage: "de, pt-BR;q=0.9").code == "pt_BR")
        #expect(translations.browserLocale(acceptLanguage: "fr-FR;q=0.5, es-LA;q=0.8").code == "es_LA")
        // "es-LA " (space kept) misses es_LA but still matches the language alone.
        #expect(translations.browserLocale(acceptLanguage: "es-LA ;q=0.9, fr-FR;q=0.1").code == "es")
        #expect(translations.browserLocale(acceptLanguage: "pt-BR ;q=0.9, fr-FR;q=0.1").code == "fr_FR")
        #expect(translations.browserLocale(acceptLanguage: "es-MX").translate("Settings") == "Configuración")
        // No header, or nothing acceptable: the `default` argument through getClosest.
        #expect(translations.browserLocale(acceptLanguage: nil).code == "en_US")
        #expect(translations.browserLocale(acceptLanguage: nil, default: "fr_FR").code == "fr_FR")
        #expect(translations.browserLocale(acceptLanguage: "es;q=0", default: "pt-BR").code == "pt_BR")
        #expect(translations.browserLocale(acceptLanguage: nil, default: "de_DE").code == "en_US")
        // An empty header is one empty code: the default locale, not the `default` argument.
        #expect(translations.browserLocale(acceptLanguage: "", default: "fr_FR").code == "en_US")
        translations.defaultLocale = "sv_SE"
        #expect(translations.browserLocale(acceptLanguage: "*").code == "sv_SE")
    }
}
