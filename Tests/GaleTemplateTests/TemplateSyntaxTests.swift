import GaleTemplate
import Testing

/// Renders `source` with `namespace`.
func render(_ source: String, _ namespace: [String: TemplateValue] = [:], name: String = "t.txt") throws -> String {
    try Template(source, name: name).generate(namespace)
}

@Suite struct TemplateSyntaxTests {
    @Test func expressionsAreEscapedAndRawIsNot() throws {
        let xss = "<script>alert('x')</script> & \"q\""
        #expect(
            try render("{{ v }}|{% raw v %}", ["v": .string(xss)])
                == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;|\(xss)")
        #expect(try render("{% autoescape None %}{{ v }}", ["v": "<b>"]) == "<b>")
        #expect(try Template("{{ v }}", autoescape: nil).generate(["v": "<b>"]) == "<b>")
        #expect(
            try render("{{ None }} {{ True }} {{ 1.5 }} {{ 2.0 }} {{ [1, 'a'] }}")
                == "None True 1.5 2.0 [1, &#x27;a&#x27;]")
    }

    @Test func floatsPrintAsPythonReprs() throws {
        let values: [TemplateValue] = [1e-05, 1e16, -0.0, 1.5e300, 123456.789, -2.5e-7, 2.0]
        #expect(
            try render("{% for v in values %}{{ v }} {% end %}", ["values": .list(values)])
                == "1e-05 1e+16 -0.0 1.5e+300 123456.789 -2.5e-07 2.0 ")
    }

    @Test func commentsAndLiteralBraces() throws {
        #expect(try render("a{# hidden #}b{% comment also hidden %}c") == "abc")
        #expect(try render("{{! not an expression }}") == "{{ not an expression }}")
        #expect(try render("{%! raw %}") == "{% raw %}")
        #expect(try render("{{{ x }}}", ["x": 1]) == "{1}")
    }

    @Test func conditionals() throws {
        let source = "{% if n > 10 %}big{% elif n > 5 %}medium{% else %}small{% end %}"
        #expect(try render(source, ["n": 11]) == "big")
        #expect(try render(source, ["n": 6]) == "medium")
        #expect(try render(source, ["n": 1]) == "small")
        #expect(try render("{% if not items %}empty{% end %}", ["items": []]) == "empty")
    }

    @Test func loops() throws {
        #expect(try render("{% for x in xs %}{{ x }},{% end %}", ["xs": [1, 2, 3]]) == "1,2,3,")
        #expect(
            try render("{% for k, v in d.items() %}{{ k }}={{ v }};{% end %}", ["d": ["a": 1, "b": "two"]])
                == "a=1;b=two;")
        #expect(try render("{% for i, x in enumerate(xs) %}{{ i }}{{ x }}{% end %}", ["xs": ["a", "b"]]) == "0a1b")
        #expect(
            try render(
                "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% end %}{% if x == 4 %}{% break %}{% end %}{{ x }}{% end %}"
            )
                == "013")
        #expect(try render("{% for x in [] %}{{ x }}{% else %}none{% end %}") == "none")
        #expect(try render("{% set i = 0 %}{% while i < 3 %}{{ i }}{% set i += 1 %}{% end %}") == "012")
        // Loop variables stay set after the loop, as in Python.
        #expect(try render("{% for x in [1, 2] %}{% end %}{{ x }}") == "2")
    }

    @Test func setAndExpressions() throws {
        #expect(
            try render("{% set x = 2 * (3 + 4) %}{{ x }} {{ x // 4 }} {{ x % 4 }} {{ -7 // 2 }} {{ 7 / 2 }}")
                == "14 3 2 -4 3.5")
        #expect(
            try render("{{ 'a' + 'b' }} {{ 'ab' * 2 }} {{ 'b' in 'abc' }} {{ 3 not in [1, 2] }}") == "ab abab True True"
        )
        #expect(try render("{{ x if x else 'none' }}", ["x": ""]) == "none")
        #expect(try render("{{ a and b }} {{ a or b }} {{ not a }}", ["a": 0, "b": 5]) == "0 5 True")
        #expect(try render("{{ 1 < 2 <= 2 < 3 }} {{ 1 < 2 > 3 }} {{ x is None }}", ["x": nil]) == "True False True")
        #expect(
            try render(
                "{{ d['k'] }} {{ d.k }} {{ xs[-1] }} {{ xs[1:] }} {{ 'hello'[1:3] }}",
                ["d": ["k": "v"], "xs": [1, 2, 3]]) == "v v 3 [2, 3] el")
        #expect(
            try render("{{ len(xs) }} {{ sorted(xs, reverse=True) }} {{ max(xs) }} {{ sum(xs) }}", ["xs": [3, 1, 2]])
                == "3 [3, 2, 1] 3 6")
        #expect(
            try render("{{ '-'.join(['a', 'b']) }} {{ ' x '.strip().upper() }} {{ 'a,b'.split(',') }}")
                == "a-b X [&#x27;a&#x27;, &#x27;b&#x27;]")
        #expect(try render("{{ {'a': [1, {'b': None}]} }}") == "{&#x27;a&#x27;: [1, {&#x27;b&#x27;: None}]}")
        // `sep.join(x)` has its own compiled path: the same answers as the method, errors too.
        #expect(
            try render(
                "{{ ', '.join(xs) }}|{{ ''.join('abc') }}|{{ '-'.join(d) }}", ["xs": ["a", "<b>"], "d": ["k": 1]])
                == "a, &lt;b&gt;|abc|k")
        #expect(try render("{{ s.join(['a', 'b']) }}", ["s": "+"]) == "a+b")
        #expect(throws: TemplateError(.evaluation, "join() expects strings, found 'int'", template: "t.txt", line: 1)) {
            try render("{{ ', '.join([1, 2]) }}")
        }
        #expect(throws: TemplateError(.evaluation, "'int' object is not iterable", template: "t.txt", line: 1)) {
            try render("{{ ', '.join(5) }}")
        }
        // `row["key"]` on a name read in place, and on a name that is not a dictionary.
        #expect(
            try render("{{ d['k'] }} {% if d['k'] %}yes{% end %} {{ s[0] }}", ["d": ["k": "v"], "s": "xy"]) == "v yes x"
        )
        #expect(throws: TemplateError(.evaluation, "KeyError: 'missing'", template: "t.txt", line: 1)) {
            try render("{% if d['missing'] %}{% end %}", ["d": ["k": "v"]])
        }
    }

    /// Python's `%`, as Tornado's locale idiom uses it: `_("...%(name)s...") % {...}`.
    @Test func percentFormatting() throws {
        #expect(try render("{{ '%(n)+04d|%(n)-4d|%(s).2s|%(n)x' % {'n': 7, 's': 'abc'} }}") == "+007|7   |ab|7")
        #expect(try render("{{ '%5.2f|%-6.1e|%g' % (3.14159, 12345.678, 0.0001) }}") == " 3.14|1.2e+04|0.0001")
        #expect(
            try render("{{ '%c%c %r %#x %#o %X %%' % (65, 'b', 'a', 255, 8, 255) }}")
                == "Ab &#x27;a&#x27; 0xff 0o10 FF %")
        #expect(try render("{{ '%s liked this' % name }}", ["name": "<Ann>"]) == "&lt;Ann&gt; liked this")
    }

    @Test func functionsWithKeywordArguments() throws {
        let greet = TemplateFunction("greet") { arguments in
            .string("\(arguments.value(0, "name")?.text ?? "?")\(arguments.value(1, "punctuation")?.text ?? ".")")
        }
        #expect(
            try render("{{ greet('Ann', punctuation='!') }} {{ greet(name='Bo') }}", ["greet": .function(greet)])
                == "Ann! Bo.")
    }

    @Test func applyAndModules() throws {
        let upper = TemplateFunction("upper") { .string($0.positional.first?.text.uppercased() ?? "") }
        #expect(
            try render("{% apply upper %}a<{{ x }}>{% end %}", ["upper": .function(upper), "x": "&"]) == "A<&AMP;>")
        let entry = TemplateFunction("Entry") { arguments in
            .string("<div>\(arguments.value(0, "title")?.text ?? "")</div>")
        }
        #expect(
            try render("{% module Entry('<t>') %}", [TemplateNamespace.modulesKey: ["Entry": .function(entry)]])
                == "<div><t></div>")
    }

    @Test func whitespaceModes() throws {
        let source = "<p>\n    a   b\n\n  </p>"
        #expect(try render(source, name: "t.html") == "<p>\na b\n</p>")
        #expect(try render(source, name: "t.txt") == source)
        #expect(try render("{% whitespace oneline %}" + source, name: "t.txt") == "<p> a b </p>")
        #expect(try render("<pre>\n  keep   this\n</pre>", name: "t.html") == "<pre>\n  keep   this\n</pre>")
    }

    @Test func tryExcept() throws {
        // As Tornado: the body's partial output stays; finally runs even when the error goes on;
        // a break in except leaves the loop.
        #expect(try render("{% try %}a{{ missing }}{% except %}fallback{% finally %}!{% end %}") == "afallback!")
        #expect(try render("{% try %}{% try %}{{ 1/0 }}{% finally %}F{% end %}{% except %}E{% end %}") == "FE")
        #expect(
            try render("{% for i in [1, 2] %}{% try %}{{ 1/0 }}{% except %}{% break %}{% end %}{{ i }}{% end %}x")
                == "x")
    }

    @Test func helpers() throws {
        #expect(try render("{{ url_escape('a b&c') }}") == "a+b%26c")
        #expect(
            try render("{% raw json_encode({'a': '</script>', 'n': [1, 2.5, None]}) %}")
                == #"{"a": "<\/script>", "n": [1, 2.5, null]}"#)
        #expect(try render("{{ squeeze('  a \n b  ') }}") == "a b")
        #expect(
            try render("{% raw linkify('see http://x.org/a?b=1&c, <ok>') %}")
                == #"see <a href="http://x.org/a?b=1&amp;c">http://x.org/a?b=1&amp;c</a>, &lt;ok&gt;"#)
    }

    struct Entry: Encodable {
        var title: String
        var tags: [String]
        var score: Double?
    }

    @Test func swiftValuesThroughEncodable() throws {
        let entries = try TemplateValue(encoding: [
            Entry(title: "<One>", tags: ["a"], score: 1.5), Entry(title: "Two", tags: [], score: nil),
        ])
        #expect(
            try render(
                "{% for e in entries %}{{ e.title }}:{{ len(e.tags) }}:{{ e['score'] }};{% end %}", ["entries": entries]
            )
                == "&lt;One&gt;:1:1.5;Two:0:None;")
    }

    /// Review findings: each of these once crashed, hung or printed the wrong thing.
    @Test func hostileTemplatesFailCleanly() throws {
        let errors = [
            "{{ round(1e300) }}", "{{ round(1e308 * 10) }}", "{{ enumerate([1], 9223372036854775807) }}",
            "{{ 'a' * 9223372036854775807 }}", "{{ [1] * 100000000 }}", "{% for i in range(100000000) %}{% end %}",
            "{{ 2 ** 100 }}", "{% module x %}", "{% module nothing() %}",
        ]
        for source in errors {
            #expect(throws: TemplateError.self, "\(source)") { try render(source, ["x": "<script>"]) }
        }
        #expect(try render("{{ '' * 1000000000000000000 }}|{{ [] * 1000000000000000000 }}") == "|[]")
        #expect(
            try render("{{ 1 ** 1000000000000 }} {{ (-1) ** 1000000000001 }} {{ 0 ** 5 }} {{ 3 ** 4 }}") == "1 -1 0 81")
        #expect(
            try render("{{ 2.0 ** 0.5 }} {{ 2 ** -1 }} {{ round(2.5) }} {{ round(3.7) }}")
                == "1.4142135623730951 0.5 2 4")
        // Nesting past the limits is a syntax error, not a stack overflow.
        #expect(throws: TemplateError.self) {
            try Template(
                "{{ " + String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000) + " }}")
        }
        #expect(throws: TemplateError.self) {
            try Template("{{ " + Array(repeating: "1", count: 100_000).joined(separator: "+") + " }}")
        }
        #expect(throws: TemplateError.self) {
            try Template(String(repeating: "{% if 1 %}", count: 10_000) + String(repeating: "{% end %}", count: 10_000))
        }
        #expect(throws: TemplateError.self) { try Template("{{ " + String(repeating: "not ", count: 10_000) + "1 }}") }
    }

    @Test func reviewFidelityFixes() throws {
        #expect(
            try render("{{ 9007199254740993 == 9007199254740992 }} {{ 9007199254740993 in [9007199254740992] }}")
                == "False False")
        #expect(
            try render("{% set sel = \"a[href*='x']\" %}{{ sel }} {% set s = 'a+=b' %}{{ s }}")
                == "a[href*=&#x27;x&#x27;] a+=b")
        #expect(try render("{% set n = 1 %}{% set n += 2 %}{% set n *= 3 %}{{ n }}") == "9")
        #expect(
            try render("{% for a in [1, 2] %}{% for b in [] %}{% else %}{% break %}{% end %}{{ a }}{% end %}.") == ".")
        #expect(try render("{{ len('e\\u0301') }}") == "2")
        struct Order: Encodable { var items: [String]; var keys: Int }
        #expect(
            try render(
                "{{ order.items }} {{ order.keys }}",
                ["order": try TemplateValue(encoding: Order(items: ["a"], keys: 2))]) == "[&#x27;a&#x27;] 2")
        #expect(try render("{% if 1 %}{% extends 'x.html' %}{% end %}ok") == "ok")  // extends counts at the top only
        #expect(try render("{% for x in[1, 2] %}{{ x }}{% end %}{% for index in [3] %}{{ index }}{% end %}") == "123")
        #expect(try render("{{ 'ab'.replace('', '-') }} {{ 'a' * True }}{{ 'b' * False }}") == "-a-b- a")
        #expect(try render("{{ 0x1f }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }}") == "31 15 5 1000")
        #expect(throws: TemplateError.self) { try Template("{{ 0x }}") }
        #expect(try render("{% raw json_encode([1e999, -1e999, 1e999 - 1e999]) %}") == "[Infinity, -Infinity, NaN]")
        // An error in an elif names the elif's line.
        let template = try Template("{% if False %}\n{% elif missing %}\n{% end %}")
        #expect(throws: TemplateError(.evaluation, "name 'missing' is not defined", template: "<string>", line: 2)) {
            try template.generate()
        }
    }
}
