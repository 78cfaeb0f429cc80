import Gale
import GaleTesting
import Synchronization
import Testing

/// Records the order of its lifecycle hooks into a shared log.
final class LifecycleHandler: RequestHandler, InitializableHandler {
    struct InitializeArguments: Sendable { var events: EventLog }
    var events: EventLog?

    func initialize(_ arguments: InitializeArguments) {
        events = arguments.events
        events?.append("initialize")
    }
    override func prepare() throws {
        events?.append("prepare")
        if request.query == "stop" { try finish("stopped in prepare") }
    }
    override func get() throws {
        events?.append("get")
        try write("ok")
    }
    override func onFinish() { events?.append("onFinish") }
}

final class EventLog: Sendable {
    private let entries = Mutex<[String]>([])
    var all: [String] { entries.withLock { $0 } }
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
}

final class GetOnlyHandler: RequestHandler {
    override class var supportedMethods: [String] { ["GET", "HEAD"] }
    override func get() throws { try write("get") }
    override func head() throws {}
}

final class FailingHandler: RequestHandler {
    struct Secret: Error, CustomStringConvertible { var description: String { "database password is hunter2" } }
    override func get() throws {
        switch request.query {
        case "http": throw HTTPError(418, reason: "Short and stout", logMessage: "log only")
        case "plain": throw HTTPError(403)
        default: throw Secret()
        }
    }
}

final class CustomErrorPageHandler: RequestHandler {
    override func get() throws { throw HTTPError(404) }
    override func writeError(_ status: Int, error: (any Error)?) throws {
        try setHeader("Content-Type", "application/json")
        try finish(#"{"error": \#(status)}"#)
    }
}

final class OutputHandler: RequestHandler {
    struct Payload: Encodable { var name: String; var count: Int }
    override func get() throws {
        switch request.path {
        case "/json": try write(Payload(name: "</script>", count: 2))
        case "/dict": try write(["a": "b"])
        case "/bytes": try write([0x00, 0xFF, 0x41] as [UInt8])
        case "/stream":
            try write("one,")
            try flush()
            try write("two,")
            try flush()
            try write("three")
        case "/redirect": try redirect("/elsewhere")
        case "/permanent": try redirect("/elsewhere", permanent: true)
        case "/status": try setStatus(201, reason: "Made It"); try write("created")
        case "/headers":
            try setHeader("X-One", "1")
            try addHeader("X-Many", "a")
            try addHeader("X-Many", "b")
            try setHeader("X-Count", 3)
            clearHeader("Server")
        case "/nocontent": try setStatus(204)
        default: throw HTTPError(404)
        }
    }
}

/// Tries each programmer mistake and reports what was refused.
final class MisuseHandler: RequestHandler {
    override func get() throws {
        var refused: [String] = []
        do { try setHeader("X-Bad", "a\r\nSet-Cookie: evil=1") } catch { refused.append("crlf-header") }
        do { try setHeader("X-Bad", "a\nb") } catch { refused.append("lf-header") }
        do { try setHeader("Bad Name", "x") } catch { refused.append("bad-name") }
        do { try addHeader("X-Nul", "a\u{0}b") } catch { refused.append("nul") }
        do { try setStatus(42) } catch { refused.append("status") }
        do { try redirect("/next\r\nX-Injected: 1") } catch { refused.append("crlf-redirect") }
        try write(refused.joined(separator: ","))
        try finish()
        do { try write("late") } catch { _ = error }
        do { try finish() } catch { _ = error }
    }
}

final class WrongLengthHandler: RequestHandler {
    override func get() throws {
        try setHeader("Content-Length", "100")
        try write("short")
    }
}

final class SlowAsyncHandler: AsyncRequestHandler {
    override func get() async throws {
        try await Task.sleep(for: .milliseconds(20))
        try write("async done")
    }
    override func post() throws {
        try write("sync post in async handler")
    }
}

@Suite struct RequestHandlerTests {
    @Test func lifecycleRunsInTornadoOrder() async throws {
        let events = EventLog()
        let app = Application([
            try URLSpec("/", LifecycleHandler.self, .init(events: events))
        ]).quiet()
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/")
            #expect(response.text == "ok")
        }
        #expect(events.all == ["initialize", "prepare", "get", "onFinish"])

        let early = EventLog()
        let stopping = Application([try URLSpec("/", LifecycleHandler.self, .init(events: early))]).quiet()
        try await stopping.test(.inMemory) { client async throws in
            let response = try await client.get("/?stop")
            #expect(response.text == "stopped in prepare")
        }
        #expect(early.all == ["initialize", "prepare", "onFinish"])
    }

    @Test(arguments: TestMode.allCases)
    func methodNotAllowedListsSupportedMethods(mode: TestMode) async throws {
        let app = try Application([("/", GetOnlyHandler.self), ("/all", PlainHandler.self)]).quiet()
        try await app.test(mode) { client async throws in
            let post = try await client.post("/")
            #expect(post.status == 405)
            #expect(post.headers["Allow"] == "GET, HEAD")
            let delete = try await client.execute("DELETE", "/all")
            #expect(delete.status == 405)
            #expect(delete.headers["Allow"]?.contains("GET") == true)
            // An unknown method: 405 from the core; on the live server NIO's parser refuses it first.
            let custom = try await client.execute("BREW", "/all")
            #expect(custom.status == (mode == .live ? 400 : 405))
        }
    }

    @Test(arguments: TestMode.allCases)
    func errorPagesLeakNothing(mode: TestMode) async throws {
        let sink = LogSink()
        let app = try Application([("/", FailingHandler.self)]).capturingLogs(into: sink)
        try await app.test(mode) { client async throws in
            let crash = try await client.get("/")
            #expect(crash.status == 500)
            #expect(
                crash.text
                    == "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>")
            #expect(!crash.text.contains("hunter2"))
            let teapot = try await client.get("/?http")
            #expect(teapot.status == 418)
            #expect(teapot.reason == "Short and stout")
            #expect(!teapot.text.contains("log only"))
            #expect(try await client.get("/?plain").status == 403)
        }
        #expect(
            sink.messages.contains { $0.hasPrefix("error Uncaught error GET / (127.0.0.1)") && $0.contains("hunter2") })
        #expect(sink.messages.contains { $0 == "warning 418 GET /?http (127.0.0.1): log only" })
    }

    @Test func serveTracebackShowsTheErrorInDebug() async throws {
        let app = try Application([("/", FailingHandler.self)], settings: Settings(debug: true)).quiet()
        try await app.test(.inMemory) { client async throws in
            let crash = try await client.get("/")
            #expect(crash.status == 500)
            #expect(crash.text.contains("database password is hunter2"))
        }
    }

    @Test func customWriteError() async throws {
        let app = try Application([("/", CustomErrorPageHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/")
            #expect(response.status == 404)
            #expect(response.text == #"{"error": 404}"#)
            #expect(response.headers["Content-Type"] == "application/json")
        }
    }

    @Test(arguments: TestMode.allCases)
    func outputForms(mode: TestMode) async throws {
        let app = Application([try URLSpec("/.*", OutputHandler.self)]).quiet()
        try await app.test(mode) { client async throws in
            let json = try await client.get("/json")
            #expect(json.headers["Content-Type"] == "application/json; charset=UTF-8")
            #expect(json.text.contains(#""name": "<\/script>""#))
            #expect(json.text.contains(#""count": 2"#))
            #expect(try await client.get("/dict").text == #"{"a": "b"}"#)
            #expect(try await client.get("/bytes").body == [0x00, 0xFF, 0x41])

            let stream = try await client.get("/stream")
            #expect(stream.text == "one,two,three")
            #expect(stream.headers["Content-Length"] == nil)
            if mode == .inMemory { #expect(stream.chunkCount == 3) }
            if mode == .live { #expect(stream.headers["Transfer-Encoding"] == "chunked") }

            let redirect = try await client.get("/redirect")
            #expect(redirect.status == 302)
            #expect(redirect.headers["Location"] == "/elsewhere")
            #expect(try await client.get("/permanent").status == 301)

            let created = try await client.get("/status")
            #expect(created.status == 201)
            #expect(created.reason == "Made It")

            let headers = try await client.get("/headers")
            #expect(headers.headers["X-One"] == "1")
            #expect(headers.headers.values(for: "X-Many") == ["a", "b"])
            #expect(headers.headers["X-Count"] == "3")
            #expect(headers.headers["Server"] == nil)

            let empty = try await client.get("/nocontent")
            #expect(empty.status == 204)
            #expect(empty.headers["Content-Length"] == nil)
            #expect(empty.body.isEmpty)
        }
    }

    @Test func defaultHeaders() async throws {
        let app = try Application([("/", PlainHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/")
            #expect(response.headers["Content-Type"] == "text/html; charset=UTF-8")
            #expect(response.headers["Server"] == "Gale/\(Settings.galeVersion)")
            #expect(response.headers["Content-Length"] == "5")
        }
    }

    @Test(arguments: TestMode.allCases)
    func headResponsesHaveNoBody(mode: TestMode) async throws {
        let app = try Application([("/", GetOnlyHandler.self)]).quiet()
        try await app.test(mode) { client async throws in
            let head = try await client.execute("HEAD", "/")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }

    @Test(arguments: TestMode.allCases)
    func programmerMistakesAreRefusedNotSent(mode: TestMode) async throws {
        let app = try Application([("/", MisuseHandler.self)]).quiet()
        try await app.test(mode) { client async throws in
            let response = try await client.get("/")
            #expect(response.status == 200)
            #expect(response.text == "crlf-header,lf-header,bad-name,nul,status,crlf-redirect")
            #expect(response.headers["Set-Cookie"] == nil)
            #expect(response.headers["X-Injected"] == nil)
            #expect(response.headers["Location"] == nil)
        }
    }

    @Test(arguments: TestMode.allCases)
    func contentLengthMismatchBecomes500BeforeHeadersAreSent(mode: TestMode) async throws {
        let sink = LogSink()
        let app = try Application([("/", WrongLengthHandler.self), ("/ok", PlainHandler.self)])
            .capturingLogs(into: sink)
        try await app.test(mode) { client async throws in
            let response = try await client.get("/")
            #expect(response.status == 500)
            #expect(response.headers["Content-Length"] == String(response.body.count))
            #expect(try await client.get("/ok").text == "plain")
        }
        #expect(sink.messages.contains { $0.contains("wrote 5 bytes but Content-Length is 100") })
    }

    @Test(arguments: TestMode.allCases)
    func asyncHandlersAndMixedMethods(mode: TestMode) async throws {
        let app = try Application([("/", SlowAsyncHandler.self)]).quiet()
        #expect(SlowAsyncHandler.requirements == [.coroutines])
        #expect(PlainHandler.requirements.isEmpty)
        try await app.test(mode) { client async throws in
            if mode == .cgi || mode == .fastCGI {
                // The synchronous gateways cannot run a coroutine handler: 501, every method.
                #expect(try await client.get("/").status == 501)
                #expect(try await client.post("/").status == 501)
                return
            }
            #expect(try await client.get("/").text == "async done")
            #expect(try await client.post("/").text == "sync post in async handler")
            #expect(try await client.execute("PUT", "/").status == 405)
        }
    }

    @Test func logFunctionReplacesTheAccessLine() async throws {
        let seen = EventLog()
        let settings = Settings(logFunction: { handler in
            seen.append("\(handler.status) \(handler.requestSummary)")
        })
        let app = try Application([("/", PlainHandler.self)], settings: settings).quiet()
        try await app.test(.inMemory) { client async throws in
            _ = try await client.get("/?a=1")
            _ = try await client.get("/missing")
        }
        #expect(seen.all == ["200 GET /?a=1 (127.0.0.1)", "404 GET /missing (127.0.0.1)"])
    }

    @Test func defaultHandlerAndErrorHandlerRoutes() async throws {
        var settings = Settings()
        settings.defaultHandlerClass = PlainHandler.self
        let app = Application([try URLSpec("/gone", ErrorHandler.self, 410)], settings: settings).quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/anything").text == "plain")
            #expect(try await client.get("/gone").status == 410)
        }
    }
}
