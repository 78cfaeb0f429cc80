import Gale
import GaleTesting
import Testing

/// UI modules' JavaScript, CSS and head/body HTML, gathered into the page by `render` as
/// Tornado's `RequestHandler.render` does; every expected page is Tornado's own output.
@Suite struct UIModuleResourceTests {
    func makeApp(_ files: TemporaryDirectory, debug: Bool = false) throws -> Application {
        for (name, text) in UIModuleFixtures.staticFiles { try files.write(name, text) }
        return Application(
            [
                try URLSpec("/hooks", ResourceHooksHandler.self),
                try URLSpec("/twostep", ResourceTwoStepHandler.self),
                try URLSpec(#"/(\w+)"#, ResourcePageHandler.self),
            ],
            settings: Settings(
                debug: debug, staticPath: files.path + "/static", templatePath: files.path,
                uiModules: UIModuleFixtures.modules)
        ).quiet()
    }

    func page(_ path: String, files: [String: String] = UIModuleFixtures.pages, debug: Bool = false) async throws
        -> TestResponse
    {
        let directory = try TemporaryDirectory(files)
        defer { directory.remove() }
        return try await makeApp(directory, debug: debug).test(.inMemory) { try await $0.get(path) }
    }

    /// Each kind in its place; files de-duplicated by URL in first-seen order, relative ones
    /// through `static_url` with the content hash and the others as given; one module used
    /// twice adds its resources once; modules in the order the page first used them.
    @Test(arguments: TestMode.allCases)
    func everyResourceKindInTornadosOrder(mode: TestMode) async throws {
        let files = try TemporaryDirectory(UIModuleFixtures.pages)
        defer { files.remove() }
        try await makeApp(files).test(mode) { client async throws in
            let response = try await client.get("/modules")
            #expect(response.status == 200)
            #expect(response.text == UIModuleFixtures.tornadoOutput["/modules"])
        }
    }

    /// Tornado's own test (`test_uimodule_resources`): `Template(...)` with `set_resources`, used
    /// twice, adds its resources once.
    @Test func templateModuleWithSetResourcesAsTornadosTest() async throws {
        #expect(try await page("/tornado").text == UIModuleFixtures.tornadoOutput["/tornado"])
    }

    /// Two templates through `Template(...)`: resources per template path in first-use order, a
    /// path or a list of paths, a missing static file linked without a version.
    @Test func templateModuleKeepsResourcesPerTemplate() async throws {
        #expect(try await page("/two").text == UIModuleFixtures.tornadoOutput["/two"])
    }

    /// A module that renders its own template, in which another module is used: both add
    /// resources.
    @Test func moduleRenderStringAndNestedModules() async throws {
        #expect(try await page("/entries").text == UIModuleFixtures.tornadoOutput["/entries"])
    }

    /// Scripts go before the last `</body>`, `htmlBody` before the first, as in Tornado.
    @Test func scriptsBeforeTheLastBodyAndHTMLBodyBeforeTheFirst() async throws {
        #expect(try await page("/twobodies").text == UIModuleFixtures.tornadoOutput["/twobodies"])
    }

    /// The hooks get the files as the modules gave them (not yet through `static_url`, not
    /// de-duplicated) and the embedded parts one per module.
    @Test func overriddenHooksGetTheRawLists() async throws {
        #expect(try await page("/hooks").text == UIModuleFixtures.tornadoOutput["/hooks"])
    }

    /// A module without resources, in a page with no `</head>` or `</body>`, leaves the page
    /// as rendered; so does a page with no module at all.
    @Test func pagesWithoutResourcesAreUnchanged() async throws {
        #expect(try await page("/plain").text == UIModuleFixtures.tornadoOutput["/plain"])
        let bare = ["bare.html": "<html><head></head><body>{{ 'x' }}</body>", "nothing.html": "just {{ 1 }}"]
        #expect(try await page("/bare", files: bare).text == "<html><head></head><body>x</body>")
        #expect(try await page("/nothing", files: bare).text == "just 1")
    }

    /// `renderString` collects as `render` does (Tornado keeps `_active_modules` on the handler),
    /// so resources from a fragment rendered first reach the page rendered after it.
    @Test func modulesUsedInRenderStringCountForTheLaterRender() async throws {
        let files = UIModuleFixtures.pages.merging([
            "fragment.html": "{% module Chart() %}", "outer.html": "<head></head><body>{% raw fragment %}</body>",
        ]) { $1 }
        let text = try await page("/twostep", files: files).text
        #expect(text.hasPrefix("<head><link href=\"/static/site.css?v="))
        #expect(
            text.hasSuffix(
                "<body><canvas></canvas><script src=\"/abs.js\" type=\"text/javascript\"></script>\n"
                    + "<script type=\"text/javascript\">\n//<![CDATA[\nchart()\n//]]>\n</script>\n<p>c</p>\n</body>"))
    }

    /// `Template(...)` renders with the handler's namespace and its own keyword arguments only:
    /// neither the page's `render` arguments nor its local names (Tornado: the same bytes).
    @Test func templateModuleGetsItsOwnNamespace() async throws {
        let files = [
            "ns.html": "<html><head></head><body>{% set local = 5 %}{% module Template('t.html', a=2) %}</body></html>",
            "t.html": "{{ a }}|{{ request.path }}|{% try %}{{ entries }}{% except %}no entries{% end %}"
                + "|{% try %}{{ local }}{% except %}no local{% end %}",
        ]
        #expect(
            try await page("/ns", files: files).text
                == "<html><head></head><body>2|/ns|no entries|no local</body></html>")
    }
}
