import Foundation
import Gale
import GaleTesting
import Testing

final class PageHandler: RequestHandler {
    override func get() throws {
        try render("page.html", ["title": "<Hi & bye>", "items": ["a", "b"]])
    }
}

/// Renders home.html in the locale `?lang=` names, else the browser's.
final class HomePageHandler: RequestHandler {
    override func getUserLocale() -> Gale.Locale? {  // Foundation has a Locale too
        (try? getArgument("lang", default: nil)).flatMap { $0 }.map {
            application.settings.translations.locale(for: $0)
        }
    }

    override func get() throws { try render("home.html") }
}

final class DatetimePageHandler: RequestHandler {
    override func get() throws { try render("d.html") }
}

final class BrokenPageHandler: RequestHandler {
    override func get() throws { try render("broken.html") }
}

final class ShoutModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String {
        "<b>\(Escape.xhtmlEscape(arguments.value(0, "text")?.text.uppercased() ?? ""))</b>"
    }
}

@Suite struct TemplateRenderTests {
    static let pages = [
        "base.html": "<html><title>{% block title %}{% end %}</title><body>{% block body %}{% end %}</body></html>",
        "page.html": """
        {% extends "base.html" %}
        {% block title %}{{ title }}{% end %}
        {% block body %}{% for item in items %}<i>{{ item }}</i>{% end %} {{ request.path }} \
        {{ static_url("robots.txt") }} {{ reverse_url("page") }} {{ shout_method("x") }} \
        {% module Shout("<y>") %} {{ handler.request.method }}{% end %}
        """,
        "broken.html": "line 1\n{{ 1 / 0 }}",
    ]

    func makeApp(_ files: TemporaryDirectory, debug: Bool = false, compiledTemplateCache: Bool? = nil) throws
        -> Application
    {
        let staticDirectory = files.path + "/static"
        try files.write("static/robots.txt", "User-agent: *")
        return Application(
            [
                try URLSpec("/page", PageHandler.self, name: "page"),
                try URLSpec("/broken", BrokenPageHandler.self),
            ],
            settings: Settings(
                debug: debug, staticPath: staticDirectory, templatePath: files.path,
                compiledTemplateCache: compiledTemplateCache,
                uiMethods: [
                    "shout_method": { handler, arguments in
                        .string("\(arguments.positional.first?.text ?? "")!" + handler.request.path)
                    }
                ],
                uiModules: ["Shout": ShoutModule.self])
        ).quiet()
    }

    @Test(arguments: TestMode.allCases)
    func renderWithTornadosNamespace(mode: TestMode) async throws {
        let files = try TemporaryDirectory(Self.pages)
        defer { files.remove() }
        let app = try makeApp(files)
        try await app.test(mode) { client async throws in
            let page = try await client.get("/page")
            #expect(page.status == 200)
            #expect(page.headers["Content-Type"] == "text/html; charset=UTF-8")
            let robots = try #require(page.text.firstMatch(of: /\/static\/robots\.txt\?v=[0-9a-f]{128}/))
            #expect(
                page.text == """
                    <html><title>&lt;Hi &amp; bye&gt;</title><body><i>a</i><i>b</i> /page \(robots.output) /page x!/page <b>&lt;Y&gt;</b> GET</body></html>
                    """)
        }
    }

    @Test(arguments: TestMode.allCases)
    func translationsFollowAcceptLanguage(mode: TestMode) async throws {
        let files = try TemporaryDirectory([
            "home.html":
                "{{ _(\"Home\") }}|{{ locale.code }}|{{ locale.name }}|{{ locale.list(['a', 'b', 'c']) }}"
                + "|{{ locale.format_date(1577836800, relative=False) }}|{{ locale.friendly_number(1234567) }}"
        ])
        defer { files.remove() }
        let app = Application(
            [try URLSpec("/", HomePageHandler.self)],
            settings: Settings(translations: try LocaleFixtures.csv(), templatePath: files.path)
        ).quiet()
        try await app.test(mode) { client async throws in
            #expect(
                try await client.get("/", headers: ["Accept-Language": "es-LA,en;q=0.5"]).text.hasPrefix(
                    "Inicio|es_LA|Español|"))
            #expect(
                try await client.get("/", headers: ["Accept-Language": "en"]).text
                    == "Home|en_US|English (US)|a, b and c|January 1, 2020 at 12:00 am|1,234,567")
            #expect(try await client.get("/", headers: ["Accept-Language": ";;q=x,,"]).text.hasPrefix("Home|en_US|"))
            #expect(try await client.get("/?lang=fr_FR").text.hasPrefix("Accueil|fr_FR|Français|"))
        }
    }

    @Test func datetimeInTheNamespace() async throws {
        let files = try TemporaryDirectory([
            "d.html":
                "{{ datetime.datetime.fromtimestamp(1577836800.5).isoformat() }}|{{ datetime.date.fromtimestamp(0).isoformat() }}"
                + "|{{ datetime.datetime.fromtimestamp(1577836861).second }}|{{ datetime.date.today().year >= 2026 }}"
        ])
        defer { files.remove() }
        let app = Application(
            [try URLSpec("/", DatetimePageHandler.self)], settings: Settings(templatePath: files.path)
        )
        .quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/").text == "2020-01-01T00:00:00.500000|1970-01-01|1|True")
        }
    }

    /// `strftime` as Python 3.11 on Linux formats the same moments (recorded with
    /// `datetime.datetime.fromtimestamp(ts, timezone.utc).replace(tzinfo=None).strftime(format)`):
    /// a leap day, the last day of a leap year, microseconds, an unknown directive, non-ASCII.
    @Test func strftimeIsPythons() async throws {
        let format = "%Y-%m-%dT%H:%M:%SZ|%y %j %a %A %b %B %p %I %f %% %Z%z|%q|é"
        let moments = ["1577836800.5", "1709251199", "0", "1735689599", "1700000000"]
        let template =
            "{% set f = \"\(format)\" %}"
            + moments.map { "{{ datetime.datetime.fromtimestamp(\($0)).strftime(f) }}\n" }.joined()
            + "{{ datetime.date.fromtimestamp(1709251199).strftime(f) }}"
        let files = try TemporaryDirectory(["d.html": template])
        defer { files.remove() }
        let app = Application(
            [try URLSpec("/", DatetimePageHandler.self)], settings: Settings(templatePath: files.path)
        )
        .quiet()
        try await app.test(.inMemory) { client async throws in
            let lines = try await client.get("/").text.split(separator: "\n").map(String.init)
            #expect(
                lines == [
                    "2020-01-01T00:00:00Z|20 001 Wed Wednesday Jan January AM 12 500000 % |%q|é",
                    "2024-02-29T23:59:59Z|24 060 Thu Thursday Feb February PM 11 000000 % |%q|é",
                    "1970-01-01T00:00:00Z|70 001 Thu Thursday Jan January AM 12 000000 % |%q|é",
                    "2024-12-31T23:59:59Z|24 366 Tue Tuesday Dec December PM 11 000000 % |%q|é",
                    "2023-11-14T22:13:20Z|23 318 Tue Tuesday Nov November PM 10 000000 % |%q|é",
                    "2024-02-29T00:00:00Z|24 060 Thu Thursday Feb February AM 12 000000 % |%q|é",
                ])
        }
        // A format that is not a string fails the render with a message, as Python's TypeError.
        let bad = try TemporaryDirectory(["d.html": "{{ datetime.datetime.fromtimestamp(0).strftime(1) }}"])
        defer { bad.remove() }
        let badApp = Application(
            [try URLSpec("/", DatetimePageHandler.self)], settings: Settings(debug: true, templatePath: bad.path)
        )
        .quiet()
        try await badApp.test(.inMemory) { client async throws in
            let response = try await client.get("/")
            #expect(response.status == 500)
            #expect(response.text.contains("strftime() needs a format string"), "\(response.text)")
        }
    }

    @Test func templateErrorsAre500sNamingFileAndLine() async throws {
        let files = try TemporaryDirectory(Self.pages)
        defer { files.remove() }
        try await makeApp(files, debug: true).test(.inMemory) { client async throws in
            let broken = try await client.get("/broken")
            #expect(broken.status == 500)
            #expect(broken.text.contains("division by zero at broken.html:2"))
            #expect(try await client.get("/page").status == 200)  // the app goes on serving
        }
        try await makeApp(files, debug: false).test(.inMemory) { client async throws in
            let broken = try await client.get("/broken")
            #expect(broken.status == 500)
            #expect(!broken.text.contains("broken.html"))  // no details without serve_traceback
        }
    }

    @Test func debugReloadsTemplatesAndProductionKeepsThem() async throws {
        let files = try TemporaryDirectory(Self.pages)
        defer { files.remove() }
        let production = try makeApp(files)
        let debug = try makeApp(files, debug: true)
        #expect(try await production.test(.inMemory) { try await $0.get("/page").text }.contains("<i>a</i>"))
        #expect(try await debug.test(.inMemory) { try await $0.get("/page").text }.contains("<i>a</i>"))
        try files.write("page.html", "{% extends \"base.html\" %}{% block body %}changed{% end %}")
        #expect(try await production.test(.inMemory) { try await $0.get("/page").text }.contains("<i>a</i>"))
        #expect(try await debug.test(.inMemory) { try await $0.get("/page").text }.contains("changed"))
    }

    /// An explicit `compiledTemplateCache` wins over `debug`, both ways, on a running server.
    @Test(arguments: [TestMode.inMemory, .live])
    func compiledTemplateCacheSettingWinsOverDebug(mode: TestMode) async throws {
        for (debug, cache) in [(false, false), (true, true)] {
            let files = try TemporaryDirectory(Self.pages)
            defer { files.remove() }
            try await makeApp(files, debug: debug, compiledTemplateCache: cache).test(mode) { client async throws in
                #expect(try await client.get("/page").text.contains("<i>a</i>"))
                try files.write("page.html", "{% extends \"base.html\" %}{% block body %}changed{% end %}")
                let next = try await client.get("/page").text
                #expect(next.contains("changed") == !cache)
                #expect(next.contains("<i>a</i>") == cache)
            }
        }
    }
}
