import Gale
import GaleTesting
import Testing

/// Expected values are what Tornado 6.6.1's `RedirectHandler` answers for the same routes and
/// requests, except where a comment says otherwise.
@Suite struct RedirectHandlerTests {
    let app: Application

    init() throws {
        func redirect(_ pattern: String, _ url: String, permanent: Bool = true) throws -> URLSpec {
            try URLSpec(pattern, RedirectHandler.self, .init(url: url, permanent: permanent))
        }
        app = Application([
            try redirect("/old", "/new"),
            try redirect("/temp", "/new", permanent: false),
            try redirect("/swap/(.*?)/(.*?)/(.*)", "/{1}/{0}/{2}"),
            try redirect("/named/(?P<id>[^/]+)", "/items/{id}"),
            try redirect("/q", "/new?x=a%20b&y#frag"),
            try redirect("/auto/(.*)/(.*)", "/{}-{}{{lit}}"),
            try redirect("/p/(.*)", "/{0}/b"),
            try redirect("/abs/(.*)", "https://example.com/{0}"),
            try redirect("/host/(.*)", "https://{0}/x"),
            try redirect("/rel/(.*)", "{0}"),
            try redirect("/proto/(.*)", "//cdn.example.com/{0}"),
            try redirect("/s/(.*)", "/search?q={0}"),
            try redirect("/missing/(.*)", "/{1}"),
        ]).quiet()
    }

    func location(_ client: TestClient, _ uri: String) async throws -> String {
        let response = try await client.get(uri)
        guard (300...399).contains(response.status) else { return "\(response.status)" }
        return "\(response.status) \(response.headers["Location"] ?? "-")"
    }

    @Test(arguments: TestMode.allCases)
    func redirectsWithSubstitutionsAndTheQuery(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            #expect(try await location(client, "/old") == "301 /new")  // permanent by default
            #expect(try await location(client, "/temp") == "302 /new")
            #expect(try await location(client, "/swap/a/b/c/d") == "301 /b/a/c/d")
            #expect(try await location(client, "/swap/a%20b/c%2Fd/e") == "301 /c/d/a b/e")  // decoded captures
            #expect(try await location(client, "/named/42") == "301 /items/42")
            #expect(try await location(client, "/auto/x/y") == "301 /x-y{lit}")
            #expect(try await location(client, "/p/%C3%A9") == "301 /é/b")
            // Query arguments: grouped by name, blank ones kept, encoded again, after the url's own.
            #expect(
                try await location(client, "/old?b=2&a=1&b=3&c&d=&e=x+y&f=%C3%A9&g=%2B&h=%ff")
                    == "301 /new?b=2&b=3&a=1&c=&d=&e=x+y&f=%C3%A9&g=%2B&h=%FF")
            #expect(try await location(client, "/old?") == "301 /new")
            #expect(try await location(client, "/q?z=1") == "301 /new?x=a+b&y=&z=1#frag")
            #expect(try await location(client, "/q") == "301 /new?x=a%20b&y#frag")  // untouched without a query
            #expect(try await location(client, "/p/x?a=1") == "301 /x/b?a=1")
            #expect(try await location(client, "/p/a?b=%20&b=1") == "301 /a/b?b=+&b=1")
            #expect(try await location(client, "/s/a%26b?x=1") == "301 /search?q=a&b=&x=1")
            #expect(try await location(client, "/s/a%26b") == "301 /search?q=a&b")
            #expect(try await location(client, "/abs/a") == "301 https://example.com/a")
            #expect(try await location(client, "/abs/@evil.com") == "301 https://example.com/@evil.com")
            #expect(try await location(client, "/proto/@evil.com") == "301 //cdn.example.com/@evil.com")
            #expect(try await location(client, "/rel/foo") == "301 foo")
            // Tornado: `/new?%C3%83%C2%A9=1` (the name goes through Latin-1); Gale keeps UTF-8.
            #expect(try await location(client, "/old?%C3%A9=1") == "301 /new?%C3%A9=1")

            let head = try await client.execute("HEAD", "/old")
            #expect(head.status == 405)
            #expect(head.headers["Allow"] == "GET")
            #expect(try await client.post("/old").status == 405)
        }
    }

    /// Tornado 6.6: what comes from the request cannot send the client to another host or
    /// scheme, nor put a control character in `Location`.
    @Test(arguments: TestMode.allCases)
    func requestInputCannotChangeTheSchemeOrHost(mode: TestMode) async throws {
        let sink = LogSink()
        try await app.capturingLogs(into: sink).test(mode) { client async throws in
            for uri in [
                "/p/%2Fexample.com",  // //example.com/b
                "/p/%5Cexample.com",  // /\example.com/b, which browsers read as //
                "/p/%09%2Fexample.com",  // browsers drop the tab
                "/host/evil.com",  // the host comes from a field
                "/rel/http:%2F%2Fevil.com", "/rel/javascript:alert(1)",
                "/p/a%0d%0ab",  // CR LF in Location
            ] {
                let response = try await client.get(uri)
                #expect(response.status == 400, "\(uri)")
                #expect(response.headers["Location"] == nil, "\(uri)")
            }
            #expect(try await location(client, "/p/a%0d%0ab?x=1") == "301 /ab/b?x=1")  // as urlsplit drops them
            #expect(try await location(client, "/p/%20%2Fexample.com") == "301 / /example.com/b")
            // Gale's arguments are strict: Tornado would pass `%zz` on as `%25zz`.
            let malformed = try await client.get("/old?a=%zz")
            #expect(malformed.status == 400)
            #expect(malformed.reason == "Malformed percent-encoding in query")
            #expect(try await client.get("/p/%ff").reason == "Invalid unicode in url")
            #expect(try await client.get("/missing/a").status == 500)  // {1} with one group
        }
        #expect(sink.messages.contains { $0.hasSuffix("Redirect URL cannot change the scheme or netloc") })
        #expect(sink.messages.contains { $0.hasSuffix("Redirect URL contains invalid characters") })
        #expect(sink.messages.contains { $0.contains("no group {1} in the route") })
    }

    @Test func aTabFromACaptureIsAllowedAsInTornado() async throws {
        try await app.test(.inMemory) { client async throws in
            #expect(try await location(client, "/p/a%09b") == "301 /a\tb/b")
        }
    }

    @Test func templatesPythonWouldRefuseOrGaleCannotFillFailAtCreation() throws {
        for url in ["/{", "/}", "/{0", "/{}{0}", "/{0}{}", "/{0!r}", "/{0:>5}", "/{0.x}", "/{0[1]}"] {
            #expect(throws: ProgrammerError.self, "\(url)") { try RedirectHandler.InitializeArguments(url: url) }
        }
        for url in ["/{{}}", "/{}{}", "/{0}{1}{0}", "/{name}{0}", "/{name}{}", "https://x/{a_b}"] {
            #expect(throws: Never.self, "\(url)") { try RedirectHandler.InitializeArguments(url: url) }
        }
    }
}
