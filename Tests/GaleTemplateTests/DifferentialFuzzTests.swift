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
}
