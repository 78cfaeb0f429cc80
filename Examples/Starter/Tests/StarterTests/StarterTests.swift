import Gale
import GaleCommand
import GaleTesting
import Testing

@testable import Starter

/// The app in every mode GaleTesting offers: Gale's server, in memory, CGI and FastCGI.
@Suite struct StarterTests {
    func makeApp() throws -> Application {
        var server = ServerOptions()
        server.cookieSecret = "a secret for the tests only"
        return try Starter.makeApplication(server: server, options: NoOptions())
    }

    /// The form's POST, with the XSRF token the page's cookie carries.
    func add(_ title: String, with client: TestClient) async throws -> TestResponse {
        let token = try #require(try await client.get("/").cookie("_xsrf"))
        return try await client.post(
            "/", form: [("title", title), ("_xsrf", token)], headers: ["Cookie": "_xsrf=\(token)"])
    }

    @Test(arguments: TestMode.allCases)
    func addsAnItemThroughTheForm(mode: TestMode) async throws {
        try await makeApp().test(mode) { client async throws in
            #expect(try await client.get("/").status == 200)
            #expect(try await add("Water the plants", with: client).status == 302)
            #expect(try await client.get("/").text.contains("<li>Water the plants</li>"))
            #expect(try await client.get("/todos.json").text == #"{"items": [{"title": "Water the plants"}]}"#)
            #expect(try await client.get("/static/starter.css").status == 200)
        }
    }

    @Test func aPostWithoutTheXSRFTokenIsRefused() async throws {
        try await makeApp().test(.inMemory) { client async throws in
            #expect(try await client.post("/", form: [("title", "Sneaky")]).status == 403)
            #expect(try await client.get("/todos.json").text == #"{"items": []}"#)
        }
    }

    @Test func anEmptyTitleIsA400AndAddsNothing() async throws {
        try await makeApp().test(.inMemory) { client async throws in
            #expect(try await add("   ", with: client).status == 400)
            #expect(try await client.get("/todos.json").text == #"{"items": []}"#)
        }
    }
}
