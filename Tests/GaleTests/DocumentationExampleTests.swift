import Gale
import GaleTesting
import Testing

// The handlers from README.md and Docs/Guide.md, verbatim, so the documentation cannot drift
// from the code.

final class UserHandler: RequestHandler {
    override class var supportedMethods: [String] { ["GET", "POST"] }

    override func prepare() throws {  // before every method
        if request.headers["X-Blocked"] != nil { throw HTTPError(403) }
    }

    override func get() throws {
        let id = pathArgs[0]  // from the route's group
        let verbose = try getArgument("verbose", default: "no")
        try write(["id": id, "verbose": verbose ?? "no"])  // JSON
    }

    override func post() throws {
        let name = try getArgument("name")  // 400 "Missing argument name" when absent
        try setCookie("last", name, CookieOptions(httpOnly: true))
        try redirect(try application.reverseURL("user", pathArgs[0]))
    }
}

final class DocSlowHandler: AsyncRequestHandler {  // Tornado's `async def get`
    override func get() async throws {
        try await Task.sleep(for: .milliseconds(10))
        try write("done")
    }
}

final class ProfileHandler: RequestHandler, InitializableHandler {
    struct InitializeArguments: Sendable { var greeting: String }
    private var greeting = ""
    func initialize(_ arguments: InitializeArguments) { greeting = arguments.greeting }
    override func get() throws { try write(greeting) }
}

final class EntryModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String {
        try renderString("modules/entry.html", ["entry": arguments.value(0, "entry") ?? .none])
    }
    override func cssFiles() throws -> [String]? { ["entry.css"] }
    override func embeddedJavascript() throws -> String? { "initEntries()" }
}

final class DocEntriesHandler: RequestHandler {
    override func get() throws { try render("home.html", ["entries": ["a", "b"]]) }
}

// Docs/Guide.md, "Templates": render's three forms (compiled; RenderValuesTests runs them).
struct IndexPage: Encodable, Sendable { var title: String; var items: [String] }

final class DocRenderDictionaryHandler: RequestHandler {
    override func get() throws {
        let items = ["milk"]
        try render("index.html", ["title": "Todo", "items": items, "user": try currentUser ?? TemplateValue.none])
    }
}

final class DocRenderContextHandler: RequestHandler {
    override func get() throws {
        let items = ["milk"]
        try render("index.html", IndexPage(title: "Todo", items: items))
    }
}

final class DocRenderTemplateValuesHandler: RequestHandler {
    override func get() throws {
        let items = ["milk"]
        try render("index.html", ["title": .string("Todo"), "items": .list(items.map { .string($0) })])
    }
}

@Suite struct DocumentationExampleTests {
    /// Docs/Guide.md, "Settings": fields set by name, in any order.
    @Test func settingsByName() {
        let secret = "s3cret"
        let debug = true
        let settings = Settings {
            $0.templatePath = "templates"
            $0.staticPath = "static"
            $0.cookieSecret = secret
            $0.xsrfCookies = true
            $0.debug = debug
        }
        #expect(settings.templatePath == "templates" && settings.staticPath == "static")
        #expect(settings.cookieSecret == "s3cret" && settings.xsrfCookies && settings.debug)
        #expect(settings.effectiveAutoreload, "debug's consequences follow, as with the memberwise form")
        #expect(Settings { _ in }.templatePath == nil)
    }

    let app = Application([
        try! URLSpec(#"/user/([0-9]+)"#, UserHandler.self, name: "user"),
        try! URLSpec(#"/slow"#, DocSlowHandler.self),
        try! URLSpec("/profile", ProfileHandler.self, .init(greeting: "hi")),
    ]).quiet()

    @Test func readmeHandlers() async throws {
        try await app.test(.inMemory) { client async throws in
            let user = try await client.get("/user/7?verbose=yes")
            #expect(user.text.contains(#""id": "7""#) && user.text.contains(#""verbose": "yes""#))
            #expect(try await client.get("/user/7", headers: ["X-Blocked": "1"]).status == 403)
            let posted = try await client.post("/user/7", form: [("name", "ada")])
            #expect(posted.status == 302)
            #expect(posted.headers["Location"] == "/user/7")
            #expect(posted.headers["Set-Cookie"] == "last=ada; HttpOnly; Path=/")
            #expect(try await client.post("/user/7").status == 400)
            #expect(try await client.execute("PUT", "/user/7").headers["Allow"] == "GET, POST")
            #expect(try await client.get("/slow").text == "done")
            #expect(try await client.get("/profile").text == "hi")
        }
    }

    /// Guide.md, "UI modules and their resources".
    @Test func guideEntryModule() async throws {
        let files = try TemporaryDirectory([
            "home.html": "<html><head></head><body>{% for e in entries %}{% module Entry(e) %}{% end %}</body></html>",
            "modules/entry.html": "<p>{{ entry }}</p>",
        ])
        defer { files.remove() }
        let settings = Settings(
            staticPath: files.path + "/static", templatePath: files.path, uiModules: ["Entry": EntryModule.self])
        let app = Application([try URLSpec("/", DocEntriesHandler.self)], settings: settings).quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(
                try await client.get("/").text == """
                    <html><head><link href="/static/entry.css" type="text/css" rel="stylesheet"/>
                    </head><body><p>a</p><p>b</p><script type="text/javascript">
                    //<![CDATA[
                    initEntries()
                    //]]>
                    </script>
                    </body></html>
                    """)
        }
    }
}
