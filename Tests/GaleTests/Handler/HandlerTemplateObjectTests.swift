import Gale
import GaleTesting
import Logging
import Testing

/// Renders `handler.html` or `missing.html`, which call the handler's methods.
final class HandlerMethodsPageHandler: RequestHandler {
    override func get() throws { try render((try getArgument("page", default: "handler") ?? "handler") + ".html") }
}

@Suite struct HandlerTemplateObjectTests {
    static let pages = [
        "handler.html": """
        q={{ handler.get_argument("q", "none") }} d={{ handler.get_argument("absent", None) }} \
        t={{ handler.get_arguments("t") }} query={{ handler.get_query_argument("q") }} \
        c={{ handler.get_cookie("c", "-") }} x={{ handler.get_cookie("absent", "-") }} \
        url={{ handler.reverse_url("page") }} user={{ handler.current_user }} \
        xsrf={{ len(handler.xsrf_token) > 0 }} form={{ "_xsrf" in handler.xsrf_form_html() }} \
        path={{ handler.request.path }}
        """,
        "missing.html": #"{{ handler.get_argument("absent") }}"#,
    ]

    func makeApp(_ files: TemporaryDirectory) throws -> Application {
        for (name, text) in Self.pages { try files.write(name, text) }
        return Application(
            [try URLSpec("/page", HandlerMethodsPageHandler.self, name: "page")],
            settings: Settings(cookieSecret: "test", templatePath: files.path)
        ).withLogLevel(.critical)
    }

    @Test(arguments: TestMode.allCases) func templatesCallTheHandlersReadingMethods(mode: TestMode) async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files).test(mode) { client in
            let page = try await client.get("/page?q=hi&t=1&t=2", headers: ["Cookie": "c=yum"])
            #expect(page.status == 200)
            #expect(
                page.text == """
                    q=hi d=None t=[&#x27;1&#x27;, &#x27;2&#x27;] query=hi c=yum x=- url=/page user=None \
                    xsrf=True form=True path=/page
                    """)
        }
    }

    @Test func aMissingArgumentIsTornados400() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files).test(.inMemory) { client in
            let page = try await client.get("/page?page=missing")
            #expect(page.status == 400)
            #expect(page.reason == "Missing argument absent")
        }
    }
}
