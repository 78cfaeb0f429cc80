"""Seeded generator of differential-fuzz cases for GaleTemplate against Tornado 6.

Each case is a dict: {"template": SOURCE, "vars": [[NAME, VALUE], ...]} or
{"escape": NAME, "text": VALUE}. Expressions stay inside what Gale documents as supported
(Docs/Guide.md, "Templates"): literals, names, attributes and items, slices, calls with keyword
arguments, arithmetic, comparisons, `in`, `is None`, `and`/`or`/`not`, conditional expressions,
the documented builtins, string/list/dict methods and `%` formatting. Malformed pieces (unclosed
tags, bad expressions, stray `end`s) are mixed in on purpose: both sides must then fail the same
way (a parse error or an evaluation error).
"""

import random
import unicodedata

# The namespace every template case gets (values Python and Gale both hold).
VARIABLES = [
    ["n", 7],
    ["m", -3],
    ["z", 0],
    ["s", "<a href=\"x\">Tom & 'Jerry'</a>"],
    ["t", "  Hello,\tWorld \n again  "],
    ["u", "caf\u00e9 \u2603 \U0001f600"],
    ["url", "see http://example.com/a?b=1&c=2 and www.x.org."],
    ["xs", [3, 1, 2]],
    ["ws", ["b", "a<", "c&"]],
    ["e", []],
    ["d", {"d": [["k", 1], ["j", 2], ["a&", 3]]}],
    ["none", None],
    ["flag", True],
]

INT_NAMES = ["n", "m", "z"]
STR_NAMES = ["s", "t", "u", "url", "q"]
LIST_NAMES = ["xs", "ws", "e"]
HELPERS = ["xhtml_escape", "escape", "url_escape", "json_encode", "squeeze", "linkify"]
TEXT_PIECES = ["a", "b c", " ", "\n", "  \n  ", "\t", "<", ">", "&", "\"", "'", "x y z", "{", "}", "%", "#",
               "\u00e9", "\u2603", "\U0001f600", "\r\n"]


class Generator:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.loop_depth = 0

    def choice(self, items):
        return self.r.choice(items)

    # Expressions, by the type they produce.

    def int_expr(self, depth=0):
        r = self.r
        k = r.randrange(12 if depth < 2 else 3)
        if k == 0:
            return str(r.randrange(-5, 20))
        if k == 1:
            return self.choice(INT_NAMES)
        if k == 2:
            return "len(%s)" % self.choice([self.str_expr(depth + 1), self.list_expr(depth + 1)])
        if k == 3:
            return "(%s %s %s)" % (self.int_expr(depth + 1), self.choice(["+", "-", "*", "//", "%"]),
                                    self.int_expr(depth + 1))
        if k == 4:
            return "%s(%s)" % (self.choice(["min", "max", "sum"]), self.choice(["xs", "[1, 5, -2]", "[0]"]))
        if k == 5:
            return "abs(%s)" % self.int_expr(depth + 1)
        if k == 6:
            return "xs[%d]" % r.randrange(-3, 3)
        if k == 7:
            return "d[%s]" % self.choice(['"k"', '"j"', '"a&"'])
        if k == 8:
            return "d.get(%s, %d)" % (self.choice(['"k"', '"missing"']), r.randrange(9))
        if k == 9:
            return "int(%s)" % self.choice(['"42"', '"-7"', "n", "True"])
        if k == 10:
            return "(-%s)" % self.int_expr(depth + 1)
        return "%s.count(%s)" % (self.choice(["s", "t", '"banana"']), self.choice(['"a"', '" "', '"an"']))

    def str_expr(self, depth=0):
        r = self.r
        k = r.randrange(13 if depth < 2 else 3)
        if k == 0:
            return self.str_literal()
        if k == 1:
            return self.choice(STR_NAMES)
        if k == 2:
            return "str(%s)" % self.any_expr(depth + 1)
        if k == 3:
            return "%s + %s" % (self.str_expr(depth + 1), self.str_expr(depth + 1))
        if k == 4:
            return "%s[%s]" % (self.choice(STR_NAMES + ['"abcdef"']), self.slice())
        if k == 5:
            return "%s.%s()" % (self.choice(STR_NAMES), self.choice(["upper", "lower", "strip", "title",
                                                                  "capitalize"]))
        if k == 6:
            return "%s.replace(%s, %s)" % (self.choice(STR_NAMES), self.choice(['"a"', '"&"', '" "']),
                                          self.choice(['"-"', '""', '"<>"']))
        if k == 7:
            return '%s.join(ws)' % self.choice(['","', '" "', '""', '"<&>"'])
        if k == 8:
            return "%s(%s)" % (self.choice(HELPERS), self.choice(STR_NAMES + [self.str_literal()]))
        if k == 12 and r.randrange(2):
            return "json_encode(%s)" % self.choice(["xs", "ws", "d", "none", "flag", "n", "e", "[d, xs]"])
        if k == 9:
            return self.percent()
        if k == 10:
            return "%s * %d" % (self.str_expr(depth + 1), self.r.randrange(0, 4))
        if k == 11:
            return "url_escape(%s, plus=%s)" % (self.choice(STR_NAMES), self.choice(["True", "False"]))
        return "(%s if %s else %s)" % (self.str_expr(depth + 1), self.bool_expr(depth + 1),
                                      self.str_expr(depth + 1))

    def list_expr(self, depth=0):
        k = self.r.randrange(9 if depth < 2 else 2)
        if k == 0:
            return self.choice(LIST_NAMES)
        if k == 1:
            return "[%s]" % ", ".join(str(self.r.randrange(-3, 9)) for _ in range(self.r.randrange(4)))
        if k == 2:
            return "sorted(%s)" % self.choice(["xs", "ws", "d.keys()"])
        if k == 3:
            return "list(reversed(%s))" % self.choice(LIST_NAMES)
        if k == 4:
            return "list(range(%s))" % self.choice(["3", "n", "1, 6, 2", "5, 0, -2"])
        if k == 5:
            return "%s[%s]" % (self.choice(LIST_NAMES), self.slice())
        if k == 6:
            return "%s + %s" % (self.list_expr(depth + 1), self.list_expr(depth + 1))
        if k == 7:
            return "%s.split(%s)" % (self.choice(STR_NAMES), self.choice(["", '" "', '","', '"a"']))
        return "list(d.values())"

    def bool_expr(self, depth=0):
        k = self.r.randrange(8 if depth < 2 else 3)
        if k == 0:
            return self.choice(["True", "False", "flag"])
        if k == 1:
            return "%s %s %s" % (self.int_expr(depth + 1), self.choice(["<", "<=", "==", "!=", ">", ">="]),
                                 self.int_expr(depth + 1))
        if k == 2:
            return self.choice(["%s in %s" % (self.choice(['"a"', '"<"', '" "']), self.choice(STR_NAMES)),
                                "%s in xs" % self.int_expr(depth + 1), '"k" in d', '"q" not in d'])
        if k == 3:
            return "not %s" % self.bool_expr(depth + 1)
        if k == 4:
            return "%s %s %s" % (self.bool_expr(depth + 1), self.choice(["and", "or"]), self.bool_expr(depth + 1))
        if k == 5:
            return "%s is None" % self.choice(["none", "n", "d.get(\"q\")"])
        if k == 6:
            return "%s < %s < %s" % (self.int_expr(depth + 1), self.int_expr(depth + 1), self.int_expr(depth + 1))
        return "bool(%s)" % self.any_expr(depth + 1)

    def any_expr(self, depth=0):
        k = self.r.randrange(6)
        if k == 0:
            return self.int_expr(depth)
        if k == 1:
            return self.list_expr(depth)
        if k == 2:
            return self.bool_expr(depth)
        if k == 3:
            return self.choice(["none", "d", "e", "None"])
        return self.str_expr(depth)

    def slice(self):
        r = self.r

        def bound():
            return self.choice(["", str(r.randrange(-4, 6))])
        # No step (`a[::-1]`): Gale's slices take none (Docs/Guide.md), a syntax error there.
        if r.randrange(3) == 0:
            return str(r.randrange(-2, 3))
        return "%s:%s" % (bound(), bound())

    def str_literal(self):
        body = "".join(self.choice(["a", "b", " ", "<", "&", "%", "\u00e9", "x", "\\n", "\\t", "'"])
                       for _ in range(self.r.randrange(5)))
        return '"%s"' % body

    def percent(self):
        r = self.r
        k = r.randrange(6)
        if k == 0:
            return '"%s" %% %s' % (self.choice(["%s", "[%s]", "%r", "%-6s|", "%6s|", "%.2s"]), self.str_expr(2))
        if k == 1:
            return '"%s" %% %s' % (self.choice(["%d", "%5d", "%-5d|", "%05d", "%x", "%X", "%o", "%+d", "%i"]),
                                   self.int_expr(2))
        if k == 2:
            return '"%s" %% %s' % (self.choice(["%.2f", "%f", "%e", "%.0f", "%8.3f"]), self.int_expr(2))
        if k == 3:
            return '"%(k)s and %(j)d" % d'
        if k == 4:
            return '"%%s-%%d" %% (%s, %s)' % (self.str_expr(2), self.int_expr(2))
        return '"100%%%% %s" %% %s' % (self.choice(["%s", "%d"]), self.int_expr(2))

    # Template pieces.

    def text(self):
        return "".join(self.choice(TEXT_PIECES) for _ in range(self.r.randrange(1, 4)))

    def block(self, depth):
        return "".join(self.node(depth) for _ in range(self.r.randrange(1, 4)))

    def node(self, depth):
        r = self.r
        k = r.randrange(24 if depth < 3 else 6)
        if k <= 1:
            return self.text()
        if k <= 3:
            return "{{ %s }}" % self.any_expr()
        if k == 4:
            return "{%% raw %s %%}" % self.str_expr()
        if k == 5:
            return self.choice(["{{! x }}", "{%! if %}", "{#! c #}", "{# a comment #}", "{{!}}"])
        if k <= 7:
            parts = "{%% if %s %%}%s" % (self.bool_expr(), self.block(depth + 1))
            for _ in range(r.randrange(2)):
                parts += "{%% elif %s %%}%s" % (self.bool_expr(), self.block(depth + 1))
            if r.randrange(2):
                parts += "{%% else %%}%s" % self.block(depth + 1)
            return parts + "{% end %}"
        if k <= 9:
            return self.for_loop(depth)
        if k == 10:
            name = "i%d" % depth
            self.loop_depth += 1
            body = self.block(depth + 1)
            self.loop_depth -= 1
            return ("{%% set %s = 0 %%}{%% while %s < %d %%}{%% set %s += 1 %%}%s{%% end %%}"
                    % (name, name, r.randrange(4), name, body))
        if k == 11:
            return "{%% set %s = %s %%}{{ %s }}" % (("v", self.any_expr(), "v"))
        if k == 12:
            return "{%% apply %s %%}%s{%% end %%}" % (self.choice(HELPERS[:3] + ["linkify"]), self.block(depth + 1))
        if k == 13:
            body = "{%% try %%}%s%s" % (self.block(depth + 1),
                                       self.choice(["{{ 1 // z }}", "{{ xs[9] }}", "{{ nope }}", ""]))
            shape = r.randrange(3)
            if shape != 1:
                body += "{%% except %%}%s" % self.block(depth + 1)
            if shape != 0:
                body += "{%% finally %%}%s" % self.block(depth + 1)
            return body + "{% end %}"
        if k == 14:
            return "{%% autoescape %s %%}" % self.choice(["None", "xhtml_escape"])
        if k == 15:
            return "{%% comment %s %%}" % self.choice(["x", "{{ y }}", "a b"])
        if k == 16:
            return "{%% whitespace %s %%}" % self.choice(["all", "single", "oneline"])
        if k == 17 and self.loop_depth:
            return "{%% if %s %%}{%% %s %%}{%% end %%}" % (self.bool_expr(), self.choice(["break", "continue"]))
        if k == 18:
            return "{{ %s }}" % self.percent()
        return self.text()

    def for_loop(self, depth):
        r = self.r
        self.loop_depth += 1
        header = self.choice(["x in %s" % self.list_expr(), "k, v in d.items()", "i, w in enumerate(ws)",
                              "c in %s" % self.choice(STR_NAMES[:2] + ['"ab<"']), "a, b in zip(xs, ws)"])
        body = self.block(depth + 1)
        self.loop_depth -= 1
        tail = "{%% else %%}%s" % self.block(depth + 1) if r.randrange(4) == 0 else ""
        return "{%% for %s %%}%s%s{%% end %%}" % (header, body, tail)

    def malformed(self):
        return self.choice([
            "{{ ", "{% if flag %}", "{% end %}", "{% for x in xs %}", "{{ 1 + }}", "{{ }}", "{% %}",
            "{% bogus %}", "{% else %}", "{% elif flag %}", "{% break %}", "{% continue %}", "{% set %}",
            "{% if %}{% end %}", "{{ (1 }}", "{{ [1, 2 }}", "{{ 'abc }}", "{% raw %}", "{# open", "{% apply %}{% end %}",
            "{{ xs[ }}", "{{ n n }}", "{% try %}a{% end %}",
            "{% try %}a{% finally %}b{% except %}c{% end %}", "{% try %}a{% except %}b{% except %}c{% end %}",
            "{% try %}a{% finally %}b{% finally %}c{% end %}", "{% while %}{% end %}", "{% for in xs %}{% end %}",
            "{% end if %}", "{{ nope }}", "{{ 1 // z }}", "{{ xs[10] }}", "{{ d['missing'] }}", "{{ s + 1 }}",
            "{{ undefined_function(1) }}", "{{ n.nope }}", "{{ 'a' - 'b' }}", "{{ \"%d\" % s }}",
            "{{ \"%s %s\" % (1,) }}", "{{ len(n) }}", "{{ int('x') }}",
        ])

    def template(self):
        nodes = [self.node(0) for _ in range(self.r.randrange(1, 7))]
        if self.r.randrange(5) == 0:
            nodes.insert(self.r.randrange(len(nodes) + 1), self.malformed())
        source = "".join(nodes)
        # `q`: a random string of this case, for the string methods and helpers.
        return {"template": source, "vars": VARIABLES + [["q", self.random_string()]]}

    # Strings for the `Escape` functions.

    def random_string(self):
        r = self.r
        pieces = []
        for _ in range(r.randrange(0, 12)):
            k = r.randrange(8)
            if k == 0:
                pieces.append(self.choice("<>&\"'/\\ %+=?#;:.,()[]{}"))
            elif k == 1:
                pieces.append(self.choice(["\t", "\n", "\r", "\x0b", "\x0c", "\x00", "\x1f", " ", "\x7f",
                                           "\u00a0", "\u2028", "\u3000", "\u0085", "\u200b", "\ufeff"]))
            elif k == 2:
                cp = r.randrange(0x80, 0x10000)
                if 0xD800 <= cp < 0xE000:
                    cp = 0xE000
                pieces.append(self.assigned(chr(cp)))
            elif k == 3:
                pieces.append(self.assigned(chr(r.randrange(0x10000, 0x110000))))
            elif k == 4:
                pieces.append(self.url())
            else:
                pieces.append("".join(chr(r.randrange(0x20, 0x7f)) for _ in range(r.randrange(1, 5))))
        return "".join(pieces)

    @staticmethod
    def assigned(character):
        """`character`, or `é` when the running Python's Unicode database does not know it: Python
        3.11 has Unicode 14, Swift's standard library a later one, and a code point assigned
        since (a letter, say) changes what `\\w` and `\\b` match in linkify on one side only."""
        return "\u00e9" if unicodedata.category(character) == "Cn" else character

    def url(self):
        r = self.r
        scheme = self.choice(["http://", "https://", "www.", "ftp://", "javascript:", "HTTP://", "mailto:", ""])
        host = self.choice(["example.com", "a.b", "x", "[::1]", "例え.jp", "host:8080", "user@host.org"])
        path = "".join(self.choice(["/", "a", "(b)", "(", ")", "?q=1", "&x=2", "#f", ".", ",", "!", ";",
                                   "%20", "\u00e9", "'", "\"", "<", "-", "_", "~"])
                       for _ in range(r.randrange(6)))
        return scheme + host + path

    def escape_case(self):
        name = self.choice(["xhtml_escape", "url_escape", "url_escape_noplus", "squeeze", "linkify",
                            "linkify", "linkify_shorten", "json_encode"])
        if name == "json_encode" and self.r.randrange(2):
            return {"escape": name, "text": self.json_value(0)}
        if name.startswith("linkify") and self.r.randrange(2):
            text = " ".join(self.url() for _ in range(self.r.randrange(1, 4)))
        else:
            text = self.random_string()
        return {"escape": name, "text": text}

    def json_value(self, depth):
        """A value for json_encode: None, booleans, integers (64-bit), strings, lists and
        dictionaries (in the case's {"d": [[key, value], ...]} form)."""
        r = self.r
        k = r.randrange(7 if depth < 3 else 4)
        if k == 0:
            return self.choice([None, True, False])
        if k == 1:
            return self.choice([0, -1, 2**53 + 1, -(2**63), 2**63 - 1, r.randrange(-1000, 1000)])
        if k <= 3:
            return self.random_string()
        if k <= 4:
            return [self.json_value(depth + 1) for _ in range(r.randrange(4))]
        return {"d": [[self.random_string(), self.json_value(depth + 1)] for _ in range(r.randrange(4))]}

    def case(self):
        return self.escape_case() if self.r.randrange(4) == 0 else self.template()
