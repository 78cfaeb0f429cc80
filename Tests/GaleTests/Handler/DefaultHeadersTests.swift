import Gale
import GaleTesting
import Testing

/// Sets its headers in `setDefaultHeaders`, and one more in `get` that error pages drop.
final class DefaultHeadersHandler: RequestHandler {
    struct Failure: Error {}

    override func setDefaultHeaders() throws {
        try setHeader("Server", "Custom/1")  // Tornado's own example
        try setHeader("X-Frame-Options", "DENY")
    }

    override func get() throws {
        try setHeader("X-Method", "get")
        switch request.query {
        case "404": throw HTTPError(404)
        case "500": throw Failure()
        case "clear":
            clear()
            try write("cleared")
        default: try write("ok")
        }
    }
}

/// A `setDefaultHeaders` that tries to split the response.
final class BrokenDefaultHeadersHandler: RequestHandler {
    override func setDefaultHeaders() throws {
        try setHeader("X-Bad", "a\r\nInjected: 1")
    }

    override func get() throws { try write("never") }
}

@Suite struct DefaultHeadersTests {
    @Test(arguments: TestMode.allCases)
    func setDefaultHeadersIsOnEveryResponseIncludingErrorPages(mode: TestMode) async throws {
        let app = try Application([("/", DefaultHeadersHandler.self)]).quiet()
        try await app.test(mode) { client async throws in
            let ok = try await client.get("/")
            #expect(ok.status == 200)
            #expect(ok.headers["X-Frame-Options"] == "DENY")
            #expect(ok.headers["Server"] == "Custom/1")
            #expect(ok.headers["X-Method"] == "get")

            for (query, status) in [("404", 404), ("500", 500)] {
                let error = try await client.get("/?\(query)")
                #expect(error.status == status)
                #expect(error.headers["X-Frame-Options"] == "DENY", "\(status)")
                #expect(error.headers["Server"] == "Custom/1", "\(status)")
                #expect(error.headers["X-Method"] == nil, "the error page replaced the response")
                #expect(error.text.contains("<title>\(status):"))
            }

            let cleared = try await client.get("/?clear")
            #expect(cleared.text == "cleared")
            #expect(cleared.headers["X-Frame-Options"] == "DENY")
            #expect(cleared.headers["X-Method"] == nil)
        }
    }

    @Test(arguments: TestMode.allCases)
    func setDefaultHeadersThatThrowsFailsOnlyThatRequest(mode: TestMode) async throws {
        let sink = LogSink()
        let app = try Application([("/broken", BrokenDefaultHeadersHandler.self), ("/", DefaultHeadersHandler.self)])
            .capturingLogs(into: sink)
        try await app.test(mode) { client async throws in
            let broken = try await client.get("/broken")
            #expect(broken.status == 500)
            #expect(broken.headers["X-Bad"] == nil)
            #expect(broken.headers["Injected"] == nil)
            #expect(!broken.text.contains("never"))
            #expect(try await client.get("/").headers["X-Frame-Options"] == "DENY")
        }
        #expect(sink.messages.contains { $0.hasPrefix("error Uncaught error GET /broken") && $0.contains("X-Bad") })
    }
}
