import GaleTemplate

/// What Tornado's template helpers give for hard inputs, recorded from real Tornado (and, for
/// `%`, CPython) by Tests/Scripts/record_escape_cases.py; EscapeTests and PercentFormatTests
/// check Gale against them. To re-record, run that script and paste its arrays here.
enum RecordedHelperCases {
    // Recorded from Tornado 6.6.1 on CPython 3.11.2 by Tests/Scripts/record_escape_cases.py.

    static let linkifyCases: [(String, String)] = [
        ("http://", "<a href=\"http://\">http://</a>"),
        ("http:///", "<a href=\"http:///\">http:///</a>"),
        ("http://a", "<a href=\"http://a\">http://a</a>"),
        (
            "see http://x.org/a?b=1&c, <ok>",
            "see <a href=\"http://x.org/a?b=1&amp;c\">http://x.org/a?b=1&amp;c</a>, &lt;ok&gt;"
        ),
        (
            "http://en.wikipedia.org/wiki/Python_(programming_language)",
            "<a href=\"http://en.wikipedia.org/wiki/Python_(programming_language)\">http://en.wikipedia.org/wiki/Python_(programming_language)</a>"
        ),
        ("(see http://x.com/a)", "(see <a href=\"http://x.com/a\">http://x.com/a</a>)"),
        ("http://x.com/a_(b)c).", "<a href=\"http://x.com/a_(b)c\">http://x.com/a_(b)c</a>)."),
        ("http://x.com/(a(b)c)", "<a href=\"http://x.com/\">http://x.com/</a>(a(b)c)"),
        ("http://a.com/a.(b)", "<a href=\"http://a.com/a\">http://a.com/a</a>.(b)"),
        ("http://a.com/()", "<a href=\"http://a.com/()\">http://a.com/()</a>"),
        ("http://a.com/(", "<a href=\"http://a.com/\">http://a.com/</a>("),
        ("http://a.com)", "<a href=\"http://a.com\">http://a.com</a>)"),
        ("ftp://x.com/a", "ftp://x.com/a"),
        ("ftp://a.com/http://b.com", "ftp://a.com/http://b.com"),
        ("javascript://x.com/%0aalert(1)", "javascript://x.com/%0aalert(1)"),
        ("mailto:me@x.com", "mailto:me@x.com"),
        ("HTTP://X.COM", "HTTP://X.COM"),
        ("WWW.x.com", "WWW.x.com"),
        ("www.x.com", "<a href=\"http://www.x.com\">www.x.com</a>"),
        ("awww.x.com", "awww.x.com"),
        ("-www.x.com", "-<a href=\"http://www.x.com\">www.x.com</a>"),
        ("a-www.x.com", "a-<a href=\"http://www.x.com\">www.x.com</a>"),
        ("www.", "www."),
        ("www.a", "<a href=\"http://www.a\">www.a</a>"),
        ("x-http://a.com", "x-http://a.com"),
        ("-http://a.com", "-<a href=\"http://a.com\">http://a.com</a>"),
        ("--http://a.com", "--<a href=\"http://a.com\">http://a.com</a>"),
        ("a--http://a.com", "a--http://a.com"),
        ("éhttp://a.com", "éhttp://a.com"),
        ("_http://a.com", "_http://a.com"),
        ("1http://a.com", "1http://a.com"),
        ("http://a.com/&amp;b", "<a href=\"http://a.com/&amp;amp;b\">http://a.com/&amp;amp;b</a>"),
        (
            "http://a.com/?a=1&b=2&quot",
            "<a href=\"http://a.com/?a=1&amp;b=2&amp;quot\">http://a.com/?a=1&amp;b=2&amp;quot</a>"
        ),
        ("http://a.com/\"q\"", "<a href=\"http://a.com/&quot;q\">http://a.com/&quot;q</a>&quot;"),
        ("http://a.com/'q'", "<a href=\"http://a.com/\">http://a.com/</a>&#x27;q&#x27;"),
        ("http://a.com/<b>", "<a href=\"http://a.com/\">http://a.com/</a>&lt;b&gt;"),
        ("http://a.com.", "<a href=\"http://a.com\">http://a.com</a>."),
        ("http://a.com!?", "<a href=\"http://a.com\">http://a.com</a>!?"),
        ("http://a.com/é/ü", "<a href=\"http://a.com/é/ü\">http://a.com/é/ü</a>"),
        ("http://ünï.com/x", "<a href=\"http://ünï.com/x\">http://ünï.com/x</a>"),
        ("http://a.com\u{A0}b", "<a href=\"http://a.com\">http://a.com</a>\u{A0}b"),
        ("http://a.com\u{2003}b", "<a href=\"http://a.com\">http://a.com</a>\u{2003}b"),
        ("http://a.com\u{3000}b", "<a href=\"http://a.com\">http://a.com</a>\u{3000}b"),
        ("http://www.x.com", "<a href=\"http://www.x.com\">http://www.x.com</a>"),
        ("www.x.com/http://y.com", "<a href=\"http://www.x.com/http://y.com\">www.x.com/http://y.com</a>"),
        ("http:/a.com", "<a href=\"http:/a.com\">http:/a.com</a>"),
        ("http:////a.com", "<a href=\"http:////a.com\">http:////a.com</a>"),
        ("https://a.com:8080/p?q=1#f", "<a href=\"https://a.com:8080/p?q=1#f\">https://a.com:8080/p?q=1#f</a>"),
        ("http://x.com/%20a+b~c", "<a href=\"http://x.com/%20a+b~c\">http://x.com/%20a+b~c</a>"),
        ("text\nhttp://a.com\tok", "text\n<a href=\"http://a.com\">http://a.com</a>\tok"),
        ("ą http://a.com ą", "ą <a href=\"http://a.com\">http://a.com</a> ą"),
        ("http://a.com/\u{1}b", "<a href=\"http://a.com/\u{1}b\">http://a.com/\u{1}b</a>"),
        (
            "Read https://example.com/posts/42?ref=feed&utm=1. Also www.python.org, and (https://tornadoweb.org/en/stable/).",
            "Read <a href=\"https://example.com/posts/42?ref=feed&amp;utm=1\">https://example.com/posts/42?ref=feed&amp;utm=1</a>. Also <a href=\"http://www.python.org\">www.python.org</a>, and (<a href=\"https://tornadoweb.org/en/stable/\">https://tornadoweb.org/en/stable/</a>)."
        ),
        ("no links here: just a colon: and a dot.", "no links here: just a colon: and a dot."),
        ("", ""),
        ("a & b < c", "a &amp; b &lt; c"),
    ]

    static let linkifyOptionCases: [(String, String, String)] = [
        (
            "http://a.com/very/long/path/that/goes/on/and/on?x=1&y=2", "shorten=True",
            "<a href=\"http://a.com/very/long/path/that/goes/on/and/on?x=1&amp;y=2\" title=\"http://a.com/very/long/path/that/goes/on/and/on?x=1&amp;y=2\">http://a.com/very...</a>"
        ),
        (
            "www.example.com/very/long/path/that/goes/on/and/on?x=1&y=2",
            "shorten=True, extra_params=' rel=\"nofollow\"  '",
            "<a href=\"http://www.example.com/very/long/path/that/goes/on/and/on?x=1&amp;y=2\" rel=\"nofollow\" title=\"http://www.example.com/very/long/path/that/goes/on/and/on?x=1&amp;y=2\">www.example.com/very...</a>"
        ),
        ("http://a.com/short", "shorten=True", "<a href=\"http://a.com/short\">http://a.com/short</a>"),
        (
            "https://averyveryverylonghostname.example.com", "shorten=True",
            "<a href=\"https://averyveryverylonghostname.example.com\">https://averyveryverylonghostname.example.com</a>"
        ),
        (
            "http://a.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&amp;b", "shorten=True",
            "<a href=\"http://a.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&amp;amp;b\" title=\"http://a.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&amp;amp;b\">http://a.com/aaaaaaaa...</a>"
        ),
        (
            "http://x.com/path/é/ü/ö/ä/ñ/ç/and/more/words", "shorten=True",
            "<a href=\"http://x.com/path/é/ü/ö/ä/ñ/ç/and/more/words\" title=\"http://x.com/path/é/ü/ö/ä/ñ/ç/and/more/words\">http://x.com/path...</a>"
        ),
        (
            "www.example.com http://b.com", "require_protocol=True",
            "www.example.com <a href=\"http://b.com\">http://b.com</a>"
        ),
        (
            "ftp://a.com mailto://x http://c.com", "permitted_protocols=['ftp']",
            "<a href=\"ftp://a.com\">ftp://a.com</a> mailto://x http://c.com"
        ),
        (
            "see http://a.com", "extra_params='class=\"ext\"'",
            "see <a href=\"http://a.com\" class=\"ext\">http://a.com</a>"
        ),
    ]

    static let squeezeCases: [(String, String)] = [
        ("  a \n b  ", "a b"),
        ("a\t\tb\r\nc", "a b c"),
        ("\u{0}a\u{1}\u{2}b\u{1F}", "a b"),
        ("\u{A0} a \u{A0}", "a"),
        (" \u{A0}a\u{A0}b ", "a\u{A0}b"),
        ("a\u{2003}\u{2003}b", "a\u{2003}\u{2003}b"),
        ("\u{3000}x\u{3000}", "x"),
        ("plain", "plain"),
        ("", ""),
        ("   ", ""),
        ("a\u{7F}b", "a\u{7F}b"),
        ("é  ü", "é ü"),
        ("one two", "one two"),
        ("x \u{1C} y", "x y"),
    ]

    static let urlEscapeCases: [(String, String, String)] = [
        ("a b&c", "a+b%26c", "a%20b%26c"),
        ("/path/to x", "%2Fpath%2Fto+x", "/path/to%20x"),
        ("é ü", "%C3%A9+%C3%BC", "%C3%A9%20%C3%BC"),
        ("~_.-", "~_.-", "~_.-"),
        ("a+b=c?d#e", "a%2Bb%3Dc%3Fd%23e", "a%2Bb%3Dc%3Fd%23e"),
        ("100%", "100%25", "100%25"),
        ("", "", ""),
        ("\u{0}\n", "%00%0A", "%00%0A"),
        ("\u{1F600}", "%F0%9F%98%80", "%F0%9F%98%80"),
        ("a/b", "a%2Fb", "a/b"),
    ]

    static let xhtmlEscapeCases: [(String, String)] = [
        ("<a href=\"x\">'&'</a>", "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"),
        ("plain", "plain"),
        ("", ""),
        ("é & ü", "é &amp; ü"),
        ("&amp;", "&amp;amp;"),
    ]

    static let jsonEncodeCases: [(TemplateValue, String)] = [
        (nil, "null"),
        (true, "true"),
        (1, "1"),
        (-2, "-2"),
        (.double(2.5), "2.5"),
        (.double(0.1), "0.1"),
        (.double(1e-05), "1e-05"),
        (.double(1e+16), "1e+16"),
        (.double(-0.0), "-0.0"),
        ("", "\"\""),
        ("plain", "\"plain\""),
        ("</script><!--", "\"<\\/script><!--\""),
        ("a</b</", "\"a<\\/b<\\/\""),
        ("<//", "\"<\\//\""),
        ("\"\\/", "\"\\\"\\\\/\""),
        ("\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}", "\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\""),
        ("é ü \u{1F600} \u{2028}", "\"\\u00e9 \\u00fc \\ud83d\\ude00 \\u2028\""),
        ([1, .double(2.5), nil, "x"], "[1, 2.5, null, \"x\"]"),
        (["a": "</script>", "n": [1, .double(2.5), nil]], "{\"a\": \"<\\/script>\", \"n\": [1, 2.5, null]}"),
        (
            ["nested": ["list": [], "dict": .dictionary(TemplateDictionary())]],
            "{\"nested\": {\"list\": [], \"dict\": {}}}"
        ),
        ([], "[]"),
    ]

    static let percentCases: [(String, TemplateValue, String)] = [
        ("%.2f", .double(3.14159), "3.14"),
        ("%.2f", .double(0.125), "0.12"),
        ("%.2f", .double(2.675), "2.67"),
        ("%.0f", .double(0.5), "0"),
        ("%.0f", .double(1.5), "2"),
        ("%.0f", .double(2.5), "2"),
        ("%.2f", .double(-0.001), "-0.00"),
        ("%.15f", .double(0.1), "0.100000000000000"),
        ("%.17f", .double(0.1), "0.10000000000000001"),
        ("%.20f", .double(0.1), "0.10000000000000000555"),
        ("%f", .double(1e+20), "100000000000000000000.000000"),
        ("%.2f", .double(1e+16), "10000000000000000.00"),
        ("%#.0f", .double(3.0), "3."),
        ("%10.3f|", .double(3.14159), "     3.142|"),
        ("%-10.3f|", .double(3.14159), "3.142     |"),
        ("%010.3f", .double(-3.14159), "-00003.142"),
        ("%+.1f", .double(2.25), "+2.2"),
        ("%05f", .double(.infinity), "00inf"),
        ("%-6f|", .double(.nan), "nan   |"),
        ("%F", .double(-.infinity), "-INF"),
        ("%.3f", 12, "12.000"),
        ("%.1f", true, "1.0"),
        ("%e", .double(12345.678), "1.234568e+04"),
        ("%.2E", .double(0.000123), "1.23E-04"),
        ("%g", .double(0.0001), "0.0001"),
        ("%G", .double(1e-10), "1E-10"),
        ("%.3g", 1234567, "1.23e+06"),
        ("%#g", .double(1.0), "1.00000"),
        ("%d comments", 12, "12 comments"),
        ("%d", -7, "-7"),
        ("%d", .double(3.9), "3"),
        ("%i", true, "1"),
        ("%5d|", 42, "   42|"),
        ("%-5d|", -42, "-42  |"),
        ("%05d", -42, "-0042"),
        ("%+d", 5, "+5"),
        ("% d", 5, " 5"),
        ("%.3d", 7, "007"),
        ("%x", 255, "ff"),
        ("%X", 255, "FF"),
        ("%#x", 255, "0xff"),
        ("%#06x", 255, "0x00ff"),
        ("%#X", -255, "-0XFF"),
        ("%o", 8, "10"),
        ("%#o", 8, "0o10"),
        ("%+#07o", 8, "+0o0010"),
        ("%s", "text", "text"),
        ("%s", nil, "None"),
        ("%s", .double(1.5), "1.5"),
        ("%s", 10, "10"),
        ("%5s|", "é", "    é|"),
        ("%-5s|", "ab", "ab   |"),
        ("%.1s", "éa", "é"),
        ("%5.2s|", "abc", "   ab|"),
        ("%05s", "ab", "   ab"),
        ("%r", "it's", "\"it's\""),
        ("%a", "é", "'\\xe9'"),
        ("%c", 233, "é"),
        ("%c", "é", "é"),
        ("%05c", 65, "    A"),
        ("100%% of %s", "it", "100% of it"),
        ("%s and %s", ["a", 1], "a and 1"),
        ("%(a)s %(b)05.1f %%", ["a": "x", "b": .double(2.25)], "x 002.2 %"),
        ("%(name)s has %(n)d posts", ["name": "Zoë", "n": 3], "Zoë has 3 posts"),
        ("%s", ["a": 1], "{'a': 1}"),
        ("café %s \u{2615}", "crème", "café crème \u{2615}"),
        ("%.3f %.3f", [.double(1.0005), .double(2.0015)], "1.000 2.002"),
    ]
}
