import Foundation
import GaleTemplate
import GaleTesting
import Testing

@Suite struct TemplateLoaderTests {
    @Test func inheritanceThreeLevelsDeep() throws {
        let directory = try TemporaryDirectory([
            "base.html":
                "<title>{% block title %}Site{% end %}</title>{% block body %}base body{% end %}<footer>{% block footer %}(c){% end %}</footer>",
            "section/layout.html":
                "{% extends \"../base.html\" %}{% block body %}<nav/>{% block content %}layout content{% end %}{% end %}ignored",
            "section/page.html":
                "{% extends \"layout.html\" %}{% block title %}Page {{ name }}{% end %}{% block content %}{% include \"part.html\" %}{% end %}",
            "section/part.html": "part for {{ name }}",
        ])
        defer { directory.remove() }
        let loader = TemplateLoader(root: directory.path)
        #expect(
            try loader.load("section/page.html").generate(["name": "<A>"])
                == "<title>Page &lt;A&gt;</title><nav/>part for &lt;A&gt;<footer>(c)</footer>")
        #expect(try loader.load("base.html").generate() == "<title>Site</title>base body<footer>(c)</footer>")
    }

    @Test func includeSharesVariables() throws {
        let directory = try TemporaryDirectory([
            "main.txt": "{% set x = 1 %}{% include \"inc.txt\" %}{{ y }}",
            "inc.txt": "[{{ x }}]{% set y = 2 %}",
        ])
        defer { directory.remove() }
        #expect(try TemplateLoader(root: directory.path).load("main.txt").generate() == "[1]2")
    }

    /// An include's path is resolved when its template is parsed; the file is still looked up
    /// at render time, so a missing one is an error then, and appears once written.
    @Test func includePathsResolvedAtParseTime() throws {
        let directory = try TemporaryDirectory([
            "a/b/page.html": "{% include \"../side.html\" %}|{% include \"/top.html\" %}|{% include \"./late.html\" %}",
            "a/side.html": "side", "top.html": "top",
        ])
        defer { directory.remove() }
        let loader = TemplateLoader(root: directory.path, cachesTemplates: false)
        let page = try loader.load("a/b/page.html")
        let missing = #expect(throws: TemplateError.self) { try page.generate() }
        #expect(missing?.message == "template a/b/late.html not found in \(directory.path)")
        try directory.write("a/b/late.html", "late")
        #expect(try page.generate() == "side|top|late")
    }

    @Test func cacheOnAndOff() throws {
        let directory = try TemporaryDirectory(["t.txt": "one"])
        defer { directory.remove() }
        let cached = TemplateLoader(root: directory.path)
        let uncached = TemplateLoader(root: directory.path, cachesTemplates: false)
        #expect(try cached.load("t.txt").generate() == "one")
        #expect(try cached.load("t.txt") === cached.load("t.txt"))
        try directory.write("t.txt", "two")
        #expect(try cached.load("t.txt").generate() == "one")
        #expect(try uncached.load("t.txt").generate() == "two")
        cached.reset()
        #expect(try cached.load("t.txt").generate() == "two")
    }

    @Test func badNamesAndMissingFiles() throws {
        let directory = try TemporaryDirectory([
            "a/t.txt": "{% include \"../../secret\" %}", "loop.txt": "{% extends \"loop.txt\" %}",
        ])
        defer { directory.remove() }
        let loader = TemplateLoader(root: directory.path)
        #expect(throws: TemplateError.self) { try loader.load("../etc/passwd") }
        #expect(throws: TemplateError.self) { try loader.load("nope.html") }
        let escape = #expect(throws: TemplateError.self) { try loader.load("a/t.txt").generate() }
        #expect(escape?.description == "template ../../secret is outside \(directory.path) at a/t.txt:1")
        let loop = #expect(throws: TemplateError.self) { try loader.load("loop.txt").generate() }
        #expect(loop?.message == "templates extend each other in a loop")
        #expect(try loader.resolvePath("x.html", parent: "a/b/t.html") == "a/b/x.html")
    }
}

@Suite struct TemplateLoaderRecursionTests {
    @Test func selfIncludeIsAnErrorNotACrash() throws {
        let directory = try TemporaryDirectory([
            "a.html": "{% include \"a.html\" %}", "b.html": "{% if x %}{% include \"b.html\" %}{% end %}done",
        ])
        defer { directory.remove() }
        let loader = TemplateLoader(root: directory.path)
        let error = #expect(throws: TemplateError.self) { try loader.load("a.html").generate() }
        #expect(error?.message == "include nested too deeply")
        #expect(throws: TemplateError.self) { try loader.load("b.html").generate(["x": true]) }
    }
}
