import GaleTemplate
import Testing

@Suite struct TemplateErrorTests {
    func syntaxError(_ source: String) -> TemplateError? {
        do {
            _ = try Template(source, name: "page.html")
            return nil
        } catch {
            return error
        }
    }

    @Test func syntaxErrorsNameFileAndLineWhenLoaded() {
        let cases: [(String, String, Int)] = [
            ("line1\n{% if x %}\nno end", "Missing {% end %} block for if", 2),  // as Tornado says
            ("{{ }}", "Empty expression", 1),
            ("a\nb {% end %}", "Extra {% end %} block", 2),
            ("{% else %}", "else outside for/if/try/while block", 1),
            ("{% for x in xs %}{% elif y %}{% end %}", "elif block cannot be attached to for block", 1),
            ("{% break %}", "break outside for/while block", 1),
            ("{% frobnicate %}", "unknown operator: 'frobnicate'", 1),
            ("\n\n{{ 1 + }}", "unexpected end of expression in `1 +`", 3),
            ("{{ x", "Missing end expression }}", 1),
            ("{% import os %}", "{% import %} is not supported: Swift templates cannot import Python modules", 1),
            ("{% whitespace wide %}", "invalid whitespace mode wide", 1),
            ("{% set 1 = 2 %}", "cannot assign to '1'", 1),
        ]
        for (source, message, line) in cases {
            let error = syntaxError(source)
            #expect(error?.kind == .syntax, "\(source)")
            #expect(error?.message == message, "\(source)")
            #expect(error?.line == line, "\(source)")
            #expect(error?.description == "\(message) at page.html:\(line)", "\(source)")
        }
    }

    @Test func renderErrorsNameFileAndLine() throws {
        let template = try Template("ok\n{{ missing }}", name: "page.html")
        #expect(throws: TemplateError(.evaluation, "name 'missing' is not defined", template: "page.html", line: 2)) {
            try template.generate()
        }
        let cases: [(String, String)] = [
            ("{{ 1 / 0 }}", "division by zero"),
            ("{{ 'a' + 1 }}", "unsupported operand type(s) for +: 'str' and 'int'"),
            ("{{ xs[5] }}", "list index out of range"),
            ("{{ 5() }}", "'int' object is not callable"),
            ("{{ d.nope }}", "'dict' object has no attribute 'nope'"),
            ("{% for a, b in [1] %}{% end %}", "cannot unpack int into 2 names"),
            ("{{ 9223372036854775807 + 1 }}", "integer overflow"),
            ("{{ '%d' % 'x' }}", "%d format: a real number is required, not str"),
            ("{{ '%s %s' % [1] }}", "not enough arguments for format string"),
            ("{{ '%s' % [1, 2] }}", "not all arguments converted during string formatting"),
            ("{{ '%(a)s' % [1] }}", "format requires a mapping"),
        ]
        for (source, message) in cases {
            #expect(throws: TemplateError(.evaluation, message, template: "<string>", line: 1), "\(source)") {
                try Template(source).generate(["xs": [1], "d": [:]])
            }
        }
    }
}

extension TemplateError: Equatable {
    public static func == (a: TemplateError, b: TemplateError) -> Bool {
        a.kind == b.kind && a.message == b.message && a.template == b.template && a.line == b.line
    }
}
