import GaleTemplate
import Testing

/// The template helpers against outputs recorded from Tornado (RecordedHelperCases), called
/// both from Swift and from a template, plus the inputs only Gale can get wrong.
@Suite struct EscapeTests {
    @Test(arguments: RecordedHelperCases.linkifyCases)
    func linkifyAsTornado(text: String, expected: String) throws {
        #expect(Escape.linkify(text) == expected)
        #expect(try render("{% raw linkify(text) %}", ["text": .string(text)]) == expected)
    }

    @Test(arguments: RecordedHelperCases.linkifyOptionCases)
    func linkifyOptionsAsTornado(text: String, keywords: String, expected: String) throws {
        #expect(try render("{% raw linkify(text, \(keywords)) %}", ["text": .string(text)]) == expected)
    }

    @Test func linkifyOptionsFromSwift() throws {
        #expect(
            Escape.linkify("see www.x.com", extraParams: "  rel=\"nofollow\"\n")
                == #"see <a href="http://www.x.com" rel="nofollow">www.x.com</a>"#)
        #expect(
            Escape.linkify("www.x.com http://y.z", requireProtocol: true)
                == #"www.x.com <a href="http://y.z">http://y.z</a>"#)
        #expect(Escape.linkify("ftp://a.b/c", permittedProtocols: ["ftp"]) == #"<a href="ftp://a.b/c">ftp://a.b/c</a>"#)
        #expect(Escape.linkify("http://a.b", permittedProtocols: []) == "http://a.b")
        // Tornado's callable extra_params: called with each href (www. links get http://).
        var seen: [String] = []
        let linked = Escape.linkify(
            "a.com www.a.com https://b.org/x?y=1&z",
            extraParams: { href in
                seen.append(href)
                return href.hasPrefix("https:") ? " class=\"secure\" " : ""
            })
        #expect(seen == ["http://www.a.com", "https://b.org/x?y=1&amp;z"])
        #expect(
            linked
                == #"a.com <a href="http://www.a.com" >www.a.com</a> <a href="https://b.org/x?y=1&amp;z" class="secure">https://b.org/x?y=1&amp;z</a>"#
        )
    }

    @Test func linkifyExtraParamsFromATemplateFunction() throws {
        let params = TemplateFunction("params") { arguments in
            .string("data-href=\"\(arguments.positional.first?.text ?? "")\"")
        }
        #expect(
            try render("{% raw linkify('x http://a.b', extra_params=params) %}", ["params": .function(params)])
                == #"x <a href="http://a.b" data-href="http://a.b">http://a.b</a>"#)
    }

    @Test func linkifyRefusesBadOptions() {
        for (source, message) in [
            (
                "{% raw linkify('x', permitted_protocols='http') %}",
                "linkify() permitted_protocols must be a list of strings"
            ),
            ("{% raw linkify('x', permitted_protocols=[1]) %}", "linkify() permitted_protocols must hold strings"),
            ("{% raw linkify('x', extra_params=3) %}", "linkify() extra_params must be a string or a function"),
        ] {
            #expect {
                try render(source)
            } throws: { error in
                "\(error)".contains(message)
            }
        }
    }

    /// Long and repetitive inputs: the scan stays linear and the output matches a count.
    @Test func linkifyLongInputs() {
        let text = String(repeating: "go to http://example.com/a_(b) now, ", count: 2_000)
        let linked = Escape.linkify(text)
        #expect(linked.split(separator: "<a href=\"http://example.com/a_(b)\">").count == 2_001)
        let dots = String(repeating: "www.", count: 5_000) + String(repeating: ".", count: 5_000)
        #expect(Escape.linkify(dots).hasPrefix("<a href=\"http://www.www."))
        let colons = String(repeating: "a:/", count: 5_000)
        #expect(Escape.linkify(colons) == colons)
    }

    @Test(arguments: RecordedHelperCases.squeezeCases)
    func squeezeAsTornado(text: String, expected: String) throws {
        #expect(Escape.squeeze(text) == expected)
        #expect(try render("{% raw squeeze(text) %}", ["text": .string(text)]) == expected)
    }

    @Test(arguments: RecordedHelperCases.urlEscapeCases)
    func urlEscapeAsTornado(text: String, plus: String, path: String) throws {
        #expect(Escape.urlEscape(text) == plus)
        #expect(Escape.urlEscape(text, plus: false) == path)
        #expect(
            try render("{% raw url_escape(text) %}|{% raw url_escape(text, plus=False) %}", ["text": .string(text)])
                == plus + "|" + path)
    }

    @Test(arguments: RecordedHelperCases.xhtmlEscapeCases)
    func xhtmlEscapeAsTornado(text: String, expected: String) throws {
        #expect(Escape.xhtmlEscape(text) == expected)
        #expect(try render("{{ text }}", ["text": .string(text)]) == expected)
    }

    @Test(arguments: RecordedHelperCases.jsonEncodeCases)
    func jsonEncodeAsTornado(value: TemplateValue, expected: String) throws {
        #expect(Escape.jsonEncode(value) == expected)
        #expect(try render("{% raw json_encode(value) %}", ["value": value]) == expected)
    }

    @Test func jsonEncodeNonFiniteFloats() throws {
        #expect(try render("{% raw json_encode([1e999, -1e999, 1e999 - 1e999]) %}") == "[Infinity, -Infinity, NaN]")
    }

    /// Strings that are not native (bridged or lazily decoded) and substrings take the copying
    /// path; the results must not change.
    @Test func nonContiguousStrings() {
        let text = "<http://a.com/é & b>  c"
        let substring = ("xx" + text + "yy").dropFirst(2).dropLast(2)
        #expect(Escape.percentEncode(substring, plus: true, keepSlash: false) == Escape.urlEscape(text))
        #expect(Escape.linkify(String(substring)) == "&lt;<a href=\"http://a.com/é\">http://a.com/é</a> &amp; b&gt;  c")
    }
}
