import Gale
import GaleTesting
import Testing

/// Echoes its path captures so tests can see what routing decoded.
final class EchoArgsHandler: RequestHandler {
    override func get() throws {
        try write(pathArgs.joined(separator: "|"))
        for key in pathKwargs.keys.sorted() { try write(" \(key)=\(pathKwargs[key] ?? "")") }
    }
}

final class PlainHandler: RequestHandler {
    override func get() throws { try write("plain") }
}

@Suite struct RoutingTests {
    let app: Application

    init() throws {
        app = Application([
            try URLSpec(#"/"#, PlainHandler.self, name: "home"),
            try URLSpec(#"/robots\.txt"#, PlainHandler.self),
            try URLSpec(#"/user/([0-9]+)"#, EchoArgsHandler.self, name: "user"),
            try URLSpec(#"/posts/(?P<year>[0-9]{4})/(?P<slug>[^/]+)"#, EchoArgsHandler.self, name: "post"),
            try URLSpec(#"/files/(.*)"#, EchoArgsHandler.self, name: "files"),
            try URLSpec(#"/opt/([a-z]+)?"#, EchoArgsHandler.self),
        ])
    }

    @Test(arguments: TestMode.allCases)
    func literalAndRegexRoutes(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            #expect(try await client.get("/").text == "plain")
            #expect(try await client.get("/robots.txt").text == "plain")
            #expect(try await client.get("/robotsXtxt").status == 404)
            #expect(try await client.get("/user/42").text == "42")
            #expect(try await client.get("/user/42?x=1").text == "42")
            #expect(try await client.get("/posts/2024/hello-world").text == " slug=hello-world year=2024")
        }
    }

    @Test func wholePathMustMatch() async throws {
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/user/42/extra").status == 404)
            #expect(try await client.get("/user/").status == 404)
            #expect(try await client.get("/x/user/42").status == 404)
        }
    }

    @Test func capturesArePercentDecoded() async throws {
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/files/a%20b/c%C3%A9").text == "a b/cé")
            #expect(try await client.get("/files/a+b").text == "a+b")
            #expect(try await client.get("/opt/").text == "")
        }
    }

    @Test func badPercentEncodingInPathIs400() async throws {
        try await app.test(.inMemory) { client async throws in
            let bad = try await client.get("/files/%zz")
            #expect(bad.status == 400)
            #expect(bad.reason == "Malformed percent-encoding in url")
            let invalidUTF8 = try await client.get("/files/%ff%fe")
            #expect(invalidUTF8.status == 400)
            #expect(invalidUTF8.reason == "Invalid unicode in url")
            #expect(try await client.get("/files/ok").status == 200)
        }
    }

    @Test func firstMatchingRouteWins() async throws {
        let app = Application([
            try URLSpec("/a", PlainHandler.self),
            try URLSpec("/(a)", EchoArgsHandler.self),
        ])
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/a").text == "plain")
        }
    }

    /// Patterns with one literal or `.*` group skip the regex engine; they must match exactly
    /// what the regex would.
    @Test func singleGroupPatternsMatchAsTheRegexWould() async throws {
        let patterns = [#"/static/(.*)"#, #"/(favicon\.ico)"#, #"/x(.*)\.css"#, #"/a(b)c"#, #"(.*)"#, #"/p\((.*)\)"#]
        let paths = [
            "/static/", "/static/a/b.css", "/static", "/favicon.ico", "/faviconXico", "/favicon.ico/",
            "/x.css", "/xcss", "/xa.b.css", "/abc", "/ab", "/abcc", "/", "/p(q)", "/p(q", "/static/a\nb",
        ]
        for pattern in patterns {
            let app = Application([try URLSpec(pattern, EchoArgsHandler.self)])
            let regex = try Regex(pattern)
            try await app.test(.inMemory) { client async throws in
                for path in paths {
                    let response = try await client.get(path)
                    if let match = try regex.wholeMatch(in: path) {
                        let captured = match.output[1].substring.map(String.init) ?? ""
                        #expect(response.status == 200 && response.text == captured, "\(pattern) on \(path)")
                    } else {
                        #expect(response.status == 404, "\(pattern) on \(path)")
                    }
                }
            }
        }
        #expect(
            try Application([try URLSpec(#"/f/(.*)\.js"#, EchoArgsHandler.self, name: "f")]).reverseURL("f", "a b")
                == "/f/a%20b.js")
    }

    @Test func reverseURL() throws {
        #expect(try app.reverseURL("home") == "/")
        #expect(try app.reverseURL("user", "42") == "/user/42")
        #expect(try app.reverseURL("post", "2024", "a b") == "/posts/2024/a%20b")
        #expect(try app.reverseURL("files", "dir/x y.txt") == "/files/dir/x%20y.txt")
        #expect(throws: ReverseURLError.self) { try app.reverseURL("nope") }
        #expect(throws: ReverseURLError.self) { try app.reverseURL("user") }
    }

    @Test func invalidPatternFailsAtCreation() {
        #expect(throws: (any Error).self) { try URLSpec("/(unclosed", PlainHandler.self) }
    }

    @Test func tupleFormLikeTheSeed() async throws {
        let app = try Application([(#"/"#, PlainHandler.self)])
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/").text == "plain")
        }
    }
}
