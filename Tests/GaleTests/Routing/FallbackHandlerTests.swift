import Gale
import GaleTesting
import Testing

/// Tells which application's settings it runs under.
final class WhoAmIHandler: RequestHandler {
    override func get() throws {
        try write("\(application.settings.serverHeader ?? "-") \(request.path) \(pathArgs.joined(separator: "|"))")
    }
}

@Suite struct FallbackHandlerTests {
    let outerSink = LogSink()
    let innerSink = LogSink()

    func makeApps() throws -> (outer: Application, inner: Application) {
        var innerSettings = Settings(serverHeader: "Inner/1")
        innerSettings.defaultHandler = HandlerFactory(NamedHandler.self, "inner-default")
        let inner = Application(
            [
                try URLSpec("/legacy/async", SlowAsyncHandler.self),
                try URLSpec("/legacy/([^/]*)", WhoAmIHandler.self),
            ],
            settings: innerSettings
        ).capturingLogs(into: innerSink)
        let outer = Application(
            [
                try URLSpec("/", WhoAmIHandler.self),
                try URLSpec("/legacy/.*", FallbackHandler.self, .init(fallback: inner)),
            ],
            settings: Settings(serverHeader: "Outer/1")
        ).capturingLogs(into: outerSink)
        return (outer, inner)
    }

    @Test(arguments: TestMode.allCases)
    func requestsAreServedByTheOtherApplication(mode: TestMode) async throws {
        let (outer, _) = try makeApps()
        try await outer.test(mode) { client async throws in
            #expect(try await client.get("/").text == "Outer/1 / ")
            // The whole path goes on, captures and settings are the other application's.
            let legacy = try await client.get("/legacy/a%20b")
            #expect(legacy.text == "Inner/1 /legacy/a%20b a b")
            #expect(legacy.headers["Server"] == "Inner/1")
            // Its default handler answers what its routes do not.
            #expect(try await client.get("/legacy/x/y").text == "inner-default")
            // Bad input gets the other application's 400.
            let bad = try await client.get("/legacy/%ff")
            #expect(bad.status == 400)
            #expect(bad.reason == "Invalid unicode in url")
            #expect(bad.headers["Server"] == "Inner/1")
            // An async route behind the fallback runs where async handlers can run, and is
            // refused with the reason under the synchronous gateways.
            let async = try await client.get("/legacy/async")
            #expect(async.status == (mode == .cgi || mode == .fastCGI ? 501 : 200))
        }
        #expect(innerSink.messages.contains { $0.hasPrefix("info 200 GET /legacy/a%20b") })
        #expect(!outerSink.messages.contains { $0.contains("/legacy/a%20b") })
        #expect(outerSink.messages.contains { $0.hasPrefix("info 200 GET / ") })
    }

    @Test(arguments: [TestMode.inMemory, .cgi])
    func theDefaultHandlerCanBeAFallback(mode: TestMode) async throws {
        let (_, inner) = try makeApps()
        let outer = Application(
            [try URLSpec("/mine", WhoAmIHandler.self)],
            settings: Settings(defaultHandler: HandlerFactory(FallbackHandler.self, .init(fallback: inner)))
        ).quiet()
        try await outer.test(mode) { client async throws in
            #expect(try await client.get("/mine").text.hasSuffix(" /mine "))
            #expect(try await client.get("/legacy/abc").text == "Inner/1 /legacy/abc abc")
            #expect(try await client.get("/elsewhere").text == "inner-default")
        }
        #expect(outer.handlerClass(forPath: "/legacy/abc") == WhoAmIHandler.self)
        #expect(outer.handlerClass(forPath: "/legacy/async") == SlowAsyncHandler.self)
    }
}
