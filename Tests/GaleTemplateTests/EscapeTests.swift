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

    /// Random texts of link-like pieces: the anchors taken out and the entities decoded, the
    /// output is the text again, and (in debug builds, which check every write) the output never
    /// outgrows the size worked out for it.
    @Test func linkifyKeepsTheTextOfRandomInputs() {
        let pieces = [
            "http://a", "https://b.c/", "www.d", "ftp://e", ":", ".", "/", "(", ")", "&", "<", ">", "\"", "'", " ",
            "\u{A0}", "é", "x", "-", "_", "?", "&amp;", "www.", "a:/", "\n",
        ]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<(Int(state % 40) + 1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            let linked = Escape.linkify(text)
            #expect(Self.textOf(linked) == text, "\(text.debugDescription) -> \(linked.debugDescription)")
        }
    }

    /// `html` without its `<a ...>` and `</a>` tags, entities decoded.
    static func textOf(_ html: String) -> String {
        var bytes: [UInt8] = []
        var rest = Substring(html)
        while let open = rest.firstIndex(of: "<") {
            bytes += Array(rest[..<open].utf8)
            rest = rest[open...]
            if rest.hasPrefix("</a>") {
                rest = rest.dropFirst(4)
            } else if let close = rest.firstIndex(of: ">") {
                rest = rest[rest.index(after: close)...]
            } else {
                break
            }
        }
        bytes += Array(rest.utf8)
        var text = String(decoding: bytes, as: UTF8.self)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&amp;", "&")] {
            text = text.split(separator: entity, omittingEmptySubsequences: false).joined(separator: character)
        }
        return text
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

    /// Random strings, and a value whose JSON outgrows the 2 KiB written on the stack, against
    /// a plain scalar-by-scalar encoder.
    @Test func jsonEncodeMatchesAPlainEncoder() {
        let pieces = [
            "a", "<", "/", "</", "\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{7F}", "é", "\u{2028}", "😀", " ", "'",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var strings: [TemplateValue] = []
        for _ in 0..<500 {
            var text = ""
            for _ in 0..<(Int(state % 12)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            strings.append(.string(text))
            #expect(Escape.jsonEncode(.string(text)) == Self.plainJSON(.string(text)), "\(text.debugDescription)")
        }
        let big: TemplateValue = ["items": .list(strings + strings), "count": .int(strings.count), "none": nil]
        #expect(Escape.jsonEncode(big).utf8.count > 2_048)
        #expect(Escape.jsonEncode(big) == Self.plainJSON(big))
    }

    /// JSON as Python's `json.dumps` writes it, one scalar at a time (no floats).
    static func plainJSON(_ value: TemplateValue) -> String {
        switch value {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .list(let items): return "[" + items.map(plainJSON).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            return "{"
                + dictionary.keys.map { plainJSON(.string($0)) + ": " + plainJSON(dictionary[$0] ?? .none) }
                .joined(separator: ", ") + "}"
        case .string(let text):
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case " "..."~": out.unicodeScalars.append(scalar)
                default:
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    }
                }
            }
            return (out + "\"").split(separator: "</", omittingEmptySubsequences: false).joined(separator: "<\\/")
        default: return ""
        }
    }

    /// Floats in JSON are Python's repr, as `{{ value }}` prints them.
    @Test func jsonEncodeFloatsAsPythonRepr() throws {
        for value in [100.0, 1e15, 1e16, 9_007_199_254_740_992.0, 123_456.789, 1e22, 1e-7, -2.5e-300, 0.1 + 0.2] {
            #expect(Escape.jsonEncode(.double(value)) == (try render("{{ v }}", ["v": .double(value)])))
        }
        #expect(Escape.jsonEncode(.double(1e15)) == "1000000000000000.0")
        #expect(Escape.jsonEncode(.double(0.1 + 0.2)) == "0.30000000000000004")
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
