#!/usr/bin/env python3
"""Records what Tornado's template helpers (and Python's `%`) give for the inputs of
Tests/GaleTemplateTests/EscapeTests.swift and PercentFormatTests.swift, as Swift literals.

Run it with a Python that has Tornado 6 (Benchmarks/lib.sh's venv, or `pip install tornado`):

    python3 Tests/Scripts/record_escape_cases.py > /tmp/cases.swift

and paste the arrays it prints over the ones in the tests, saying in the comment which Tornado
and Python recorded them. The tests themselves never run Python.
"""

import platform

import tornado
from tornado.escape import json_encode, linkify, squeeze, url_escape, xhtml_escape


def swift_string(text):
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F or (code >= 0x80 and not ch.isalnum()) or code > 0xFFFF:
            out.append("\\u{%X}" % code)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def swift_value(value):
    if value is None:
        return "nil"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".double(.nan)"
        if value in (float("inf"), float("-inf")):
            return ".double(%s.infinity)" % ("-" if value < 0 else "")
        return ".double(%r)" % value
    if isinstance(value, str):
        return swift_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(swift_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return ".dictionary(TemplateDictionary())"
        return "[" + ", ".join("%s: %s" % (swift_string(k), swift_value(v)) for k, v in value.items()) + "]"
    raise TypeError(value)


LINKIFY = [
    "http://", "http:///", "http://a", "see http://x.org/a?b=1&c, <ok>",
    "http://en.wikipedia.org/wiki/Python_(programming_language)", "(see http://x.com/a)",
    "http://x.com/a_(b)c).", "http://x.com/(a(b)c)", "http://a.com/a.(b)", "http://a.com/()", "http://a.com/(",
    "http://a.com)", "ftp://x.com/a", "ftp://a.com/http://b.com", "javascript://x.com/%0aalert(1)",
    "mailto:me@x.com", "HTTP://X.COM", "WWW.x.com", "www.x.com", "awww.x.com", "-www.x.com", "a-www.x.com",
    "www.", "www.a", "x-http://a.com", "-http://a.com", "--http://a.com", "a--http://a.com", "éhttp://a.com",
    "_http://a.com", "1http://a.com", "http://a.com/&amp;b", "http://a.com/?a=1&b=2&quot",
    'http://a.com/"q"', "http://a.com/'q'", "http://a.com/<b>", "http://a.com.", "http://a.com!?",
    "http://a.com/é/ü", "http://ünï.com/x", "http://a.com\u00a0b", "http://a.com\u2003b", "http://a.com\u3000b",
    "http://www.x.com", "www.x.com/http://y.com", "http:/a.com", "http:////a.com", "https://a.com:8080/p?q=1#f",
    "http://x.com/%20a+b~c", "text\nhttp://a.com\tok", "ą http://a.com ą", "http://a.com/\x01b",
    "Read https://example.com/posts/42?ref=feed&utm=1. Also www.python.org, and (https://tornadoweb.org/en/stable/).",
    "no links here: just a colon: and a dot.", "", "a & b < c",
]

LINKIFY_OPTIONS = [
    ("http://a.com/very/long/path/that/goes/on/and/on?x=1&y=2", dict(shorten=True)),
    ("www.example.com/very/long/path/that/goes/on/and/on?x=1&y=2", dict(shorten=True, extra_params=' rel="nofollow"  ')),
    ("http://a.com/short", dict(shorten=True)),
    ("https://averyveryverylonghostname.example.com", dict(shorten=True)),
    ("http://a.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&amp;b", dict(shorten=True)),
    ("http://x.com/path/é/ü/ö/ä/ñ/ç/and/more/words", dict(shorten=True)),
    ("www.example.com http://b.com", dict(require_protocol=True)),
    ("ftp://a.com mailto://x http://c.com", dict(permitted_protocols=["ftp"])),
    ("see http://a.com", dict(extra_params='class="ext"')),
]

SQUEEZE = [
    "  a \n b  ", "a\t\tb\r\nc", "\x00a\x01\x02b\x1f", "\u00a0 a \u00a0", " \u00a0a\u00a0b ", "a\u2003\u2003b",
    "\u3000x\u3000", "plain", "", "   ", "a\x7fb", "é  ü", "one two", "x \x1c y",
]

URL_ESCAPE = [
    "a b&c", "/path/to x", "é ü", "~_.-", "a+b=c?d#e", "100%", "", "\x00\n", "😀", "a/b",
]

XHTML = ["<a href=\"x\">'&'</a>", "plain", "", "é & ü", "&amp;"]

JSON = [
    None, True, 1, -2, 2.5, 0.1, 1e-05, 1e16, -0.0, "", "plain", "</script><!--", "a</b</", "<//", "\"\\/",
    "\n\r\t\b\f\x00\x1f\x7f", "é ü 😀 \u2028", [1, 2.5, None, "x"], {"a": "</script>", "n": [1, 2.5, None]},
    {"nested": {"list": [], "dict": {}}}, [],
]

PERCENT = [
    ("%.2f", 3.14159), ("%.2f", 0.125), ("%.2f", 2.675), ("%.0f", 0.5), ("%.0f", 1.5), ("%.0f", 2.5),
    ("%.2f", -0.001), ("%.15f", 0.1), ("%.17f", 0.1), ("%.20f", 0.1), ("%f", 1e20), ("%.2f", 1e16),
    ("%#.0f", 3.0), ("%10.3f|", 3.14159), ("%-10.3f|", 3.14159), ("%010.3f", -3.14159), ("%+.1f", 2.25),
    ("%05f", float("inf")), ("%-6f|", float("nan")), ("%F", float("-inf")), ("%.3f", 12), ("%.1f", True),
    ("%e", 12345.678), ("%.2E", 0.000123), ("%g", 0.0001), ("%G", 1e-10), ("%.3g", 1234567), ("%#g", 1.0),
    ("%d comments", 12), ("%d", -7), ("%d", 3.9), ("%i", True), ("%5d|", 42), ("%-5d|", -42), ("%05d", -42),
    ("%+d", 5), ("% d", 5), ("%.3d", 7), ("%x", 255), ("%X", 255), ("%#x", 255), ("%#06x", 255), ("%#X", -255),
    ("%o", 8), ("%#o", 8), ("%+#07o", 8), ("%s", "text"), ("%s", None), ("%s", 1.5), ("%s", 10), ("%5s|", "é"),
    ("%-5s|", "ab"), ("%.1s", "éa"), ("%5.2s|", "abc"), ("%05s", "ab"), ("%r", "it's"), ("%a", "é"),
    ("%c", 233), ("%c", "é"), ("%05c", 65), ("100%% of %s", "it"), ("%s and %s", ["a", 1]),
    ("%(a)s %(b)05.1f %%", {"a": "x", "b": 2.25}), ("%(name)s has %(n)d posts", {"name": "Zoë", "n": 3}),
    ("%s", {"a": 1}), ("café %s ☕", "crème"), ("%.3f %.3f", [1.0005, 2.0015]),
]


def main():
    print("    // Recorded from Tornado %s on %s %s by Tests/Scripts/record_escape_cases.py." % (
        tornado.version, platform.python_implementation(), platform.python_version()))
    print("\n    static let linkifyCases: [(String, String)] = [")
    for text in LINKIFY:
        print("        (%s, %s)," % (swift_string(text), swift_string(linkify(text))))
    print("    ]\n\n    static let linkifyOptionCases: [(String, String, String)] = [")
    for text, options in LINKIFY_OPTIONS:
        keywords = ", ".join("%s=%r" % pair for pair in options.items())  # as a template writes them
        print("        (%s, %s, %s)," % (swift_string(text), swift_string(keywords), swift_string(linkify(text, **options))))
    print("    ]\n\n    static let squeezeCases: [(String, String)] = [")
    for text in SQUEEZE:
        print("        (%s, %s)," % (swift_string(text), swift_string(squeeze(text))))
    print("    ]\n\n    static let urlEscapeCases: [(String, String, String)] = [")
    for text in URL_ESCAPE:
        print("        (%s, %s, %s)," % (swift_string(text), swift_string(url_escape(text)), swift_string(url_escape(text, plus=False))))
    print("    ]\n\n    static let xhtmlEscapeCases: [(String, String)] = [")
    for text in XHTML:
        print("        (%s, %s)," % (swift_string(text), swift_string(xhtml_escape(text))))
    print("    ]\n\n    static let jsonEncodeCases: [(TemplateValue, String)] = [")
    for value in JSON:
        print("        (%s, %s)," % (swift_value(value), swift_string(json_encode(value))))
    print("    ]\n\n    static let percentCases: [(String, TemplateValue, String)] = [")
    for pattern, value in PERCENT:
        result = pattern % (tuple(value) if isinstance(value, list) else value)
        print("        (%s, %s, %s)," % (swift_string(pattern), swift_value(value), swift_string(result)))
    print("    ]")


if __name__ == "__main__":
    main()
