import GaleTemplate
import Testing

/// What the differential fuzz against Tornado (Tests/Fuzz/Differential) found, each case with
/// the output or the error class Tornado 6.6.1 gave for it.
@Suite struct DifferentialFuzzTests {
    /// `str.count` was missing from the string methods: `"banana".count("an")` failed to render.
    @Test func stringCountAsTornado() throws {
        let cases: [(String, String)] = [
            (#"{{ "banana".count("an") }}"#, "2"),
            (#"{{ "aaaa".count("aa") }}"#, "2"),  // non-overlapping
            (#"{{ "banana".count("") }}"#, "7"),  // between every two code points and at both ends
            (#"{{ "".count("") }}"#, "1"),
            (#"{{ "abc".count("z") }}"#, "0"),
            ("{{ \"e\u{301}e\".count(\"e\") }}", "2"),  // code points, not characters
            (#"{{ t.count(" ") }}"#, "6"),
        ]
        for (source, expected) in cases {
            #expect(try render(source, ["t": "  Hello,\tWorld \n again  "]) == expected, "\(source)")
        }
    }

    @Test func stringCountNeedsAString() {
        #expect(throws: TemplateError.self) { try render(#"{{ "abc".count(1) }}"#) }
        #expect(throws: TemplateError.self) { try render(#"{{ "abc".count() }}"#) }
    }

    /// A try block without except or finally rendered its body; Tornado's compiled Python is a
    /// SyntaxError when the template loads, and so are Python's other misplaced clauses.
    @Test func tryNeedsExceptOrFinallyInPythonsOrder() {
        let cases: [(String, String)] = [
            ("{% try %}a{% end %}", "{% try %} needs an {% except %} or a {% finally %}"),
            ("{% try %}a{% finally %}b{% except %}c{% end %}", "{% except %} after {% finally %}"),
            ("{% try %}a{% except %}b{% except %}c{% end %}", "a second {% except %} in a try block"),
            ("{% try %}a{% finally %}b{% finally %}c{% end %}", "{% finally %} after {% finally %}"),
        ]
        for (source, message) in cases {
            #expect(throws: TemplateError(.syntax, message, template: "<string>", line: 1), "\(source)") {
                try Template(source)
            }
        }
    }

    @Test func tryShapesTornadoAccepts() throws {
        #expect(try render("{% try %}a{% finally %}b{% end %}") == "ab")
        #expect(try render("{% try %}a{{ 1 // 0 }}{% except %}x{% end %}") == "ax")
        #expect(try render("{% try %}a{{ 1 // 0 }}{% except %}x{% finally %}y{% end %}") == "axy")
    }

    /// `linkify` ended a link before a trailing backslash; in Tornado's expression `\[\]` are
    /// escaped brackets, so `\` may end a link.
    @Test func linkifyKeepsATrailingBackslashAsTornado() {
        let cases: [(String, String)] = [
            (#"http://a.b\*"#, #"<a href="http://a.b\">http://a.b\</a>*"#),
            (#"http://a.b\"#, #"<a href="http://a.b\">http://a.b\</a>"#),
            (#"see www.x.org\. ok"#, #"see <a href="http://www.x.org\">www.x.org\</a>. ok"#),
            (#"http://a.b/c\(d)\!"#, #"<a href="http://a.b/c\(d)\">http://a.b/c\(d)\</a>!"#),
        ]
        for (text, expected) in cases {
            #expect(Escape.linkify(text) == expected, "\(text)")
        }
        #expect(
            Escape.linkify(#"http://例え.jpaLQ9o\*"#, shorten: true)
                == #"<a href="http://例え.jpaLQ9o\">http://例え.jpaLQ9o\</a>*"#)
        #expect(
            Escape.linkify(#"http://example.com/a/very/long/path/that/is/cut\"#, shorten: true)
                == #"<a href="http://example.com/a/very/long/path/that/is/cut\" title="http://example.com/a/very/long/path/that/is/cut\">http://example.com/a...</a>"#
        )
    }

    /// A string's repr (in a printed list, or `%r`) left the code points Python does not print
    /// as they were, and split `\r\n` as one character; Python writes them as escapes.
    @Test func reprEscapesWhatPythonDoesNotPrint() throws {
        let value = "a\u{85}\u{200B}\u{2028}\u{1F}\u{0B}\u{FEFF}\u{E000}\u{F8B18}\u{3000}\u{A0}\r\n'\"\\é😀"
        let repr = #"'a\x85\u200b\u2028\x1f\x0b\ufeff\ue000\U000f8b18\u3000\xa0\r\n\'"\\é😀'"#
        #expect(
            try render(#"{% autoescape None %}{{ [v] }}|{{ "%r" % v }}"#, ["v": .string(value)]) == "[\(repr)]|\(repr)")
    }

    /// `title` started a word after any non-letter and `capitalize` upper-cased; Python title-cases
    /// after a code point that is not cased, and both use the title-case mapping.
    @Test func titleAndCapitalizeAsPython() throws {
        let cases: [(String, String)] = [
            (#"{{ "ǆa".title() }}"#, "ǅa"),
            (#"{{ "뮒Rb xY".title() }}"#, "뮒Rb Xy"),
            (#"{{ "ǆA b".capitalize() }}"#, "ǅa b"),
            (#"{{ "ß".title() }}"#, "Ss"),
            (#"{{ "ﬁx".capitalize() }}"#, "Fix"),
            (#"{{ "hello wORLD 2x".title() }}"#, "Hello World 2X"),
        ]
        for (source, expected) in cases {
            #expect(try render(source) == expected, "\(source)")
        }
    }
}
