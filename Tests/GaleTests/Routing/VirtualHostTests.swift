import Gale
import GaleTesting
import Testing

/// Answers with its name, so a test sees which route served it.
final class NamedHandler: RequestHandler, InitializableHandler {
    private var name = ""
    func initialize(_ arguments: String) { name = arguments }
    override func get() throws { try write(name + pathArgs.map { ":" + $0 }.joined()) }
}

@Suite struct VirtualHostTests {
    static func route(_ pattern: String, _ name: String, routeName: String? = nil) -> URLSpec {
        try! URLSpec(pattern, NamedHandler.self, name, name: routeName)
    }

    /// Two sites, a route for any host, and a shared fallback path.
    func sites(_ settings: Settings = Settings()) throws -> Application {
        var app = Application([Self.route("/any", "any"), Self.route("/shared", "any-shared")], settings: settings)
        try app.addHandlers(
            #"(www\.)?example\.com"#,
            [Self.route("/", "example-home", routeName: "home"), Self.route("/article/([0-9]+)", "example-article")])
        try app.addHandlers(#"api\.example\.com"#, [Self.route("/", "api-home", routeName: "home")])
        try app.addHandlers(".*", [Self.route("/shared", "wildcard-shared"), Self.route("/late", "wildcard-late")])
        return app.quiet()
    }

    @Test(arguments: TestMode.allCases)
    func requestsAreRoutedByHost(mode: TestMode) async throws {
        try await sites().test(mode) { client async throws in
            func get(_ path: String, host: String) async throws -> String {
                let response = try await client.get(path, headers: ["Host": host])
                return response.status == 200 ? response.text : "\(response.status)"
            }
            #expect(try await get("/", host: "example.com") == "example-home")
            #expect(try await get("/", host: "www.example.com:8080") == "example-home")  // port dropped
            #expect(try await get("/", host: "WWW.Example.COM") == "example-home")  // lower-cased
            #expect(try await get("/article/7", host: "example.com") == "example-article:7")
            #expect(try await get("/", host: "api.example.com") == "api-home")
            // A group without the path passes to the next group, then to the routes for any host.
            #expect(try await get("/late", host: "example.com") == "wildcard-late")
            #expect(try await get("/any", host: "api.example.com") == "any")
            // Host groups come before the routes for any host.
            #expect(try await get("/shared", host: "example.com") == "wildcard-shared")
            // The pattern matches the whole name: no prefix or suffix match.
            #expect(try await get("/article/7", host: "example.com.evil.net") == "404")
            #expect(try await get("/article/7", host: "evil.example.com") == "404")
        }
    }

    /// DNS rebinding: a page on evil.example sends the browser's requests to this server under
    /// the name `evil.example`. An application whose every route is in a host group, with no
    /// routes for any host and no `defaultHost`, answers such a request 404.
    @Test(arguments: TestMode.allCases)
    func unknownHostsGet404(mode: TestMode) async throws {
        var app = Application()
        try app.addHandlers(#"localhost|127\.0\.0\.1"#, [Self.route("/admin", "admin")])
        try await app.quiet().test(mode) { client async throws in
            #expect(try await client.get("/admin", headers: ["Host": "localhost:8888"]).text == "admin")
            #expect(try await client.get("/admin", headers: ["Host": "127.0.0.1"]).text == "admin")
            let forged = try await client.get("/admin", headers: ["Host": "evil.example"])
            #expect(forged.status == 404)
            #expect(!forged.text.contains("admin"))
            #expect(try await client.get("/admin", headers: ["Host": "localhost.evil.example"]).status == 404)
            #expect(try await client.get("/admin", headers: ["Host": "evil.example:80"]).status == 404)
        }
    }

    /// Tornado's `default_host`: hosts no group matches are served the default host's routes,
    /// forged ones too, unless an `X-Real-Ip` header says a proxy sent them.
    @Test(arguments: TestMode.allCases)
    func defaultHostServesUnknownHostsUnlessBehindAProxy(mode: TestMode) async throws {
        try await sites(Settings(defaultHost: "www.example.com")).test(mode) { client async throws in
            #expect(try await client.get("/article/3", headers: ["Host": "10.0.0.5"]).text == "example-article:3")
            #expect(try await client.get("/article/3", headers: ["Host": "evil.example"]).text == "example-article:3")
            let proxied = try await client.get("/article/3", headers: ["Host": "evil.example", "X-Real-Ip": "1.2.3.4"])
            #expect(proxied.status == 404)
            // The routes for any host still come first.
            #expect(try await client.get("/any", headers: ["Host": "10.0.0.5"]).text == "any")
            #expect(try await client.get("/", headers: ["Host": "api.example.com"]).text == "api-home")
        }
    }

    @Test func noHostHeaderIsRoutedAs127001AndIPv6KeepsItsBrackets() throws {
        var app = Application()
        try app.addHandlers(#"127\.0\.0\.1"#, [Self.route("/", "local")])
        try app.addHandlers(#"\[::1\]"#, [Self.route("/six", "ipv6")])
        #expect(app.handlerClass(forPath: "/") == NamedHandler.self)
        #expect(app.handlerClass(forPath: "/", host: "localhost") == nil)
        #expect(app.handlerClass(forPath: "/six", host: "[::1]:8000") == NamedHandler.self)
        #expect(app.handlerClass(forPath: "/six", host: "[::1]") == NamedHandler.self)
        #expect(app.handlerClass(forPath: "/six", host: "::1") == nil)
    }

    @Test func reverseURLLooksInHostGroupsFirst() throws {
        let app = try sites()
        #expect(try app.reverseURL("home") == "/")
        #expect(app.hostHandlers.map(\.hostPattern) == [#"(www\.)?example\.com"#, #"api\.example\.com"#, ".*"])
        #expect(app.hostHandlers[0].handlers.map(\.pattern) == ["/", "/article/([0-9]+)"])
        #expect(app.handlers.map(\.pattern) == ["/any", "/shared"])
    }

    @Test func invalidHostPatternThrows() {
        var app = Application()
        #expect(throws: (any Error).self) { try app.addHandlers("(unclosed", [Self.route("/", "x")]) }
        #expect(app.hostHandlers.isEmpty)
    }
}
