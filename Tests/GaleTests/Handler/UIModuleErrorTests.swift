import Gale
import GaleTesting
import Testing

/// A module whose resource method fails.
final class ResourceFailingModule: UIModule {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "no style sheets today" }
    }
    override func render(_ arguments: TemplateArguments) throws -> String { "f" }
    override func cssFiles() throws -> [String]? { throw Failure() }
}

/// Renders `page.html`.
final class ResourceErrorPageHandler: RequestHandler {
    override func get() throws { try render("page.html") }
}

/// Bad resources fail the one request with a 500 that, in debug mode, says what and where; the
/// application goes on serving.
@Suite struct UIModuleErrorTests {
    /// The status and body of `page.html` rendered in debug mode, and the status of a page that
    /// works, asked for after it.
    func render(_ page: String, files: [String: String] = [:], staticPath: Bool = true, debug: Bool = true)
        async throws -> (status: Int, text: String, next: Int)
    {
        let directory = try TemporaryDirectory(files.merging(["page.html": page, "fine.html": "fine"]) { $1 })
        defer { directory.remove() }
        try directory.write("static/app.js", "1")
        let app = Application(
            [try URLSpec("/", ResourceErrorPageHandler.self), try URLSpec(#"/(fine)"#, ResourcePageHandler.self)],
            settings: Settings(
                debug: debug, staticPath: staticPath ? directory.path + "/static" : nil,
                templatePath: directory.path,
                uiModules: UIModuleFixtures.modules.merging(["Failing": ResourceFailingModule.self]) { $1 })
        ).quiet()
        return try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/")
            return (response.status, response.text, try await client.get("/fine").status)
        }
    }

    @Test func setResourcesWithAnUnknownKey() async throws {
        let result = try await render(
            "<body>{% module Template('x.html') %}</body>", files: ["x.html": "\n{{ set_resources(scripts='a.js') }}"])
        #expect(result.status == 500)
        #expect(
            result.text.contains(
                "set_resources(): no resource scripts; the resources are javascript_files, css_files, embedded_javascript"
            ))
        #expect(result.text.contains("x.html:2"))
        #expect(result.next == 200)
    }

    @Test(arguments: [
        ("embedded_javascript=1", "set_resources(): embedded_javascript must be a string, not int"),
        ("html_head=['a']", "html_head must be a string, not list"),
        ("css_files=None", "css_files must be a path or a list of paths, not NoneType"),
        ("javascript_files=['a.js', 2]", "javascript_files must hold paths, not int"),
        ("'a.js'", "set_resources(): takes keyword arguments only"),
    ])
    func setResourcesWithAWrongValue(call: String, message: String) async throws {
        let result = try await render(
            "<body>{% module Template('x.html') %}</body>", files: ["x.html": "{{ set_resources(\(call)) }}"])
        #expect(result.status == 500)
        #expect(result.text.contains(message))
        #expect(result.text.contains("x.html:1"))
        #expect(result.next == 200)
    }

    /// Tornado's rule and message: resources are per template, not per use.
    @Test func setResourcesThatChangeWithTheArguments() async throws {
        let result = try await render(
            "<body>{% module Template('x.html', js='a()') %}\n{% module Template('x.html', js='b()') %}</body>",
            files: ["x.html": "{{ set_resources(embedded_javascript=js) }}"])
        #expect(result.status == 500)
        #expect(result.text.contains("set_resources called with different resources for the same template (x.html)"))
        #expect(result.text.contains("page.html:2"))
    }

    @Test func templateNamingAMissingTemplate() async throws {
        let result = try await render("<body>\n{% module Template('missing.html', a=1) %}</body>")
        #expect(result.status == 500)
        #expect(result.text.contains("Template(): template missing.html not found in /"))
        #expect(!result.text.contains("missing.html:0"))
        #expect(result.text.contains("page.html:2"))
        #expect(result.next == 200)
        let noPath = try await render("<body>{% module Template(a=1) %}</body>")
        #expect(noPath.status == 500)
        #expect(noPath.text.contains("Template(): takes a template path and keyword arguments only"))
    }

    /// Resources for a tag the page lacks: Tornado's `bytes.index` fails there too.
    @Test func resourcesForAPageWithoutTheTag() async throws {
        let noBody = try await render("<head></head>{% module Chart() %}")
        #expect(noBody.status == 500)
        #expect(
            noBody.text.contains(
                "the UI modules used in page.html have resources to put before &lt;/body&gt;, and it has no &lt;/body&gt;"
            ))
        let noHead = try await render(
            "<body>{% module Template('x.html') %}</body>",
            files: [
                "x.html": "{{ set_resources(html_head='<meta>') }}"
            ])
        #expect(noHead.text.contains("and it has no &lt;/head&gt;"))
        #expect(noHead.next == 200)
    }

    @Test func aResourceMethodThatThrows() async throws {
        let result = try await render("<head></head><body>{% module Failing() %}</body>")
        #expect(result.status == 500)
        #expect(result.text.contains("no style sheets today"))
    }

    @Test func relativeFilesWithoutAStaticPath() async throws {
        let result = try await render("<head></head><body>{% module Widget('a') %}</body>", staticPath: false)
        #expect(result.status == 500)
        #expect(result.text.contains("staticURL(app.js) needs the staticPath setting"))
    }

    @Test func outsideDebugModeTheReasonStaysInTheLog() async throws {
        let result = try await render("<head></head>{% module Chart() %}", debug: false)
        #expect(result.status == 500)
        #expect(!result.text.contains("&lt;/body&gt;"))
        #expect(result.next == 200)
    }
}
