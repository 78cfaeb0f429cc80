import Foundation
import Gale
import GaleTesting
import Synchronization
import Testing

/// The line of the `throw` in `loadRecord`, which the page must name exactly.
let loadRecordThrowLine = #line + 4

/// A helper a handler calls, throwing from below the handler method.
@inline(never) func loadRecord(_ id: String) throws -> String {
    throw HTTPError(404, reason: "No record \(id)", logMessage: "password=hunter2")
}

final class TracedHandler: RequestHandler {
    override func get() throws {
        try write(try loadRecord("7"))
    }
}

final class TracedAsyncHandler: AsyncRequestHandler {
    override func get() async throws {
        try await Task.sleep(for: .milliseconds(1))
        try write(try loadRecord("8"))
    }
}

/// Throws an error whose description is markup.
final class MarkupErrorHandler: RequestHandler {
    struct Injected: Error, CustomStringConvertible {
        var description: String { "<script>alert('password=hunter2')</script>" }
    }
    override func get() throws { throw Injected() }
}

/// `LocatedError`'s documented example.
struct QuotaExceeded: LocatedError {
    var user: String
    let location: ErrorLocation
    let trace = ErrorTrace.capture()

    init(user: String, fileID: String = #fileID, line: Int = #line) {
        self.user = user
        self.location = ErrorLocation(fileID: fileID, line: line)
    }
}

final class QuotaHandler: RequestHandler {
    override func get() throws { throw QuotaExceeded(user: "ann") }
}

/// Throws an error the route was given, made before any request.
final class RethrowingHandler: RequestHandler, InitializableHandler {
    struct InitializeArguments: Sendable { var error: QuotaExceeded }
    var error: QuotaExceeded?
    func initialize(_ arguments: InitializeArguments) { error = arguments.error }
    override func get() throws { if let error { throw error } }
}

/// The line of the `getArgument` call in `ArgumentHandler`.
let getArgumentCallLine = #line + 4

final class ArgumentHandler: RequestHandler {
    override func get() throws {
        try write(try getArgument("name"))
    }
}

final class FailingInitializeHandler: RequestHandler {
    override func initialize() throws { throw ProgrammerError("no database configured") }
}

/// The sections of a debug page, by title.
func debugSections(_ page: String) -> [String: String] {
    var sections: [String: String] = [:]
    for match in page.matches(of: /<h2>([^<]*)<\/h2><pre>([^<]*)<\/pre>/) {
        sections[String(match.output.1)] = String(match.output.2)
    }
    return sections
}

/// One test at a time: each page reads the test binary's debug information (about a second of
/// CPU), and a dozen at once on two cores starve the other suites' live servers.
@Suite(.serialized) struct DebugErrorPageTests {
    static let plainPage =
        "<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>"

    func makeApp(_ settings: Settings) throws -> Application {
        Application(
            [
                try URLSpec("/failing", FailingHandler.self), try URLSpec("/record/([0-9]+)", TracedHandler.self),
                try URLSpec("/async", TracedAsyncHandler.self), try URLSpec("/markup", MarkupErrorHandler.self),
                try URLSpec("/quota", QuotaHandler.self), try URLSpec("/uninitialized", FailingInitializeHandler.self),
                try URLSpec("/custom", CustomErrorPageHandler.self), try URLSpec("/argument", ArgumentHandler.self),
                try URLSpec("/early", RethrowingHandler.self, .init(error: QuotaExceeded(user: "bob"))),
            ],
            settings: settings
        ).quiet()
    }

    @Test(arguments: TestMode.allCases)
    func aPlainSwiftErrorShowsWhatIsKnownAndSaysThereIsNoStack(mode: TestMode) async throws {
        try await makeApp(Settings(serveTraceback: true)).test(mode) { client async throws in
            let crash = try await client.get("/failing?a=1")
            #expect(crash.status == 500)
            #expect(
                crash.text.hasPrefix(
                    "<html><title>500: Internal Server Error</title><body>500: Internal Server Error\n"))
            let sections = debugSections(crash.text)
            #expect(sections["Error"] == "GaleTests.FailingHandler.Secret: database password is hunter2")
            #expect(
                sections["Thrown at"]
                    == "unknown: Swift errors carry no location or stack; throw HTTPError, or adopt LocatedError, to get them"
            )
            #expect(sections["Stack"] == nil)
            #expect(sections["Handler"] == "GaleTests.FailingHandler for the route /failing")
            #expect(sections["Request"] == "GET /failing?a=1 HTTP/1.1")
        }
    }

    @Test(arguments: TestMode.allCases)
    func anHTTPErrorFromAHelperShowsItsThrowSiteAndStack(mode: TestMode) async throws {
        try await makeApp(Settings(serveTraceback: true)).test(mode) { client async throws in
            let missing = try await client.get("/record/7")
            #expect(missing.status == 404)
            #expect(missing.reason == "No record 7")
            let sections = debugSections(missing.text)
            #expect(sections["Error"] == "Gale.HTTPError: HTTP 404: No record 7 (password=hunter2)")
            #expect(sections["Thrown at"] == "GaleTests/DebugErrorPageTests.swift:\(loadRecordThrowLine)")
            let stack = try #require(sections["Stack"]).split(separator: "\n")
            // The throw site first (the error's initialiser left out), then its callers down to
            // the handler's runner (the server's frames left out).
            #expect(stack.first?.hasPrefix("loadRecord(_:) at ") == true)
            #expect(stack.first?.hasSuffix("/Tests/GaleTests/DebugErrorPageTests.swift:\(loadRecordThrowLine)") == true)
            #expect(stack.dropFirst().first?.hasPrefix("TracedHandler.get() at ") == true)
            #expect(stack.last?.hasPrefix("RequestHandler.callMethod() at ") == true)
            #expect(sections["Handler"] == "GaleTests.TracedHandler for the route /record/([0-9]+)")
            #expect(sections["Request"] == "GET /record/7 HTTP/1.1")
        }
    }

    @Test(arguments: [TestMode.inMemory, .live])
    func anAsyncHandlersErrorHasItsStackAcrossTheSuspension(mode: TestMode) async throws {
        try await makeApp(Settings(serveTraceback: true)).test(mode) { client async throws in
            let missing = try await client.get("/async")
            #expect(missing.status == 404)
            let sections = debugSections(missing.text)
            #expect(sections["Thrown at"] == "GaleTests/DebugErrorPageTests.swift:\(loadRecordThrowLine)")
            let stack = try #require(sections["Stack"]).split(separator: "\n")
            #expect(stack.first?.hasPrefix("loadRecord(_:) at ") == true)
            #expect(stack.dropFirst().first?.hasPrefix("TracedAsyncHandler.get() at ") == true)
            #expect(stack.last?.hasPrefix("AsyncRequestHandler.callMethod() at ") == true)
            #expect(sections["Handler"] == "GaleTests.TracedAsyncHandler for the route /async")
        }
    }

    @Test func aMissingArgumentIsLocatedAtTheGetArgumentCall() async throws {
        try await makeApp(Settings(serveTraceback: true)).test(.inMemory) { client async throws in
            let missing = try await client.get("/argument")
            #expect(missing.status == 400)
            #expect(missing.reason == "Missing argument name")
            let sections = debugSections(missing.text)
            #expect(sections["Thrown at"] == "GaleTests/DebugErrorPageTests.swift:\(getArgumentCallLine)")
            #expect(try #require(sections["Stack"]).hasPrefix("ArgumentHandler.get() at "))
        }
    }

    @Test func aTemplateErrorShowsTheTemplatesFileLineAndText() async throws {
        let files = try TemporaryDirectory(["pages/broken.html": "line 1\n<b>{{ 1 / 0 }}</b>\nline 3"])
        defer { files.remove() }
        final class Handler: RequestHandler {
            override func get() throws { try render("pages/broken.html") }
        }
        let app = Application(
            [try URLSpec("/", Handler.self)], settings: Settings(serveTraceback: true, templatePath: files.path)
        ).quiet()
        try await app.test(.inMemory) { client async throws in
            let broken = try await client.get("/")
            #expect(broken.status == 500)
            let sections = debugSections(broken.text)
            #expect(sections["Error"] == "GaleTemplate.TemplateError: division by zero at pages/broken.html:2")
            #expect(sections["Template"] == "\(files.path)/pages/broken.html:2\n2: &lt;b&gt;{{ 1 / 0 }}&lt;/b&gt;")
            #expect(sections["Thrown at"] == nil)
        }
    }

    @Test func everythingShownIsEscaped() async throws {
        try await makeApp(Settings(serveTraceback: true)).test(.inMemory) { client async throws in
            let page = try await client.get("/markup?<i>")
            #expect(page.status == 500)
            #expect(!page.text.contains("<script>"))
            #expect(!page.text.contains("<i>"))
            let sections = debugSections(page.text)
            #expect(
                sections["Error"]
                    == "GaleTests.MarkupErrorHandler.Injected: &lt;script&gt;alert(&#x27;password=hunter2&#x27;)&lt;/script&gt;"
            )
            #expect(sections["Request"] == "GET /markup?&lt;i&gt; HTTP/1.1")
        }
    }

    @Test func anErrorAdoptingLocatedErrorGetsItsLocationAndStack() async throws {
        try await makeApp(Settings(serveTraceback: true)).test(.inMemory) { client async throws in
            let sections = debugSections(try await client.get("/quota").text)
            #expect(
                sections["Error"]?.hasPrefix("GaleTests.QuotaExceeded: GaleTests.QuotaExceeded(user: &quot;ann&quot;")
                    == true)
            let thrownAt = try #require(sections["Thrown at"])
            #expect(thrownAt.hasPrefix("GaleTests/DebugErrorPageTests.swift:"))
            let stack = try #require(sections["Stack"]).split(separator: "\n")
            #expect(stack.first?.hasPrefix("QuotaHandler.get() at ") == true)
            #expect(stack.first?.hasSuffix(thrownAt.dropFirst("GaleTests".count)) == true)

            // Made outside any request: located, but no stack, and the page says why.
            let early = debugSections(try await client.get("/early").text)
            #expect(early["Stack"]?.hasPrefix("not captured: the error was made outside a traced request") == true)
        }
    }

    @Test func anInitializeErrorNamesTheHandlerThatFailed() async throws {
        try await makeApp(Settings(serveTraceback: true)).test(.inMemory) { client async throws in
            let failed = try await client.get("/uninitialized")
            #expect(failed.status == 500)
            let sections = debugSections(failed.text)
            #expect(sections["Error"] == "Gale.ProgrammerError: no database configured")
            #expect(
                sections["Handler"]
                    == "GaleTests.FailingInitializeHandler (its initialize() threw; Gale.ErrorHandler answered) "
                    + "for the route /uninitialized")
            #expect(try #require(sections["Stack"]).hasPrefix("FailingInitializeHandler.initialize() at "))
        }
    }

    @Test func aPathNoRouteMatchesSaysSoWithoutAStack() async throws {
        try await makeApp(Settings(serveTraceback: true)).test(.inMemory) { client async throws in
            let missing = try await client.get("/nowhere")
            #expect(missing.status == 404)
            let sections = debugSections(missing.text)
            #expect(sections["Handler"] == "Gale.ErrorHandler, no route matched the path")
            #expect(sections["Thrown at"]?.hasPrefix("Gale/ErrorHandler.swift:") == true)
            // No application code ran: nothing to capture, nothing to symbolicate.
            #expect(sections["Stack"] == nil)
        }
    }

    @Test func customWriteErrorStillWinsWithTracingOn() async throws {
        try await makeApp(Settings(serveTraceback: true)).test(.inMemory) { client async throws in
            let response = try await client.get("/custom")
            #expect(response.status == 404)
            #expect(response.text == #"{"error": 404}"#)
        }
    }

    @Test(arguments: TestMode.allCases)
    func offTheErrorPageLeaksNothing(mode: TestMode) async throws {
        for settings in [Settings(), Settings(debug: true, serveTraceback: false)] {
            try await makeApp(settings).test(mode) { client async throws in
                for path in ["/failing", "/markup", "/quota"] {
                    let crash = try await client.get(path)
                    #expect(crash.status == 500)
                    #expect(crash.text == Self.plainPage)
                }
                let missing = try await client.get("/record/7")
                #expect(missing.status == 404)
                #expect(missing.text == "<html><title>404: No record 7</title><body>404: No record 7</body></html>")
                #expect(!missing.text.contains("hunter2"))
            }
        }
    }

    @Test func errorsCaptureAStackOnlyWhileTracing() throws {
        #expect(HTTPError(404).trace == nil)
        #expect(ProgrammerError("x").trace == nil)
        let line = #line + 1
        let located = HTTPError(404)
        #expect(located.location == ErrorLocation(fileID: "GaleTests/DebugErrorPageTests.swift", line: line))
        let traced = ErrorTrace.$isCapturing.withValue(true) { HTTPError(404) }
        #if os(Linux)
            // Outside a request nothing cuts the stack short; the test's own function is on it.
            #expect(
                traced.trace?.symbolicated().contains {
                    $0.hasPrefix("DebugErrorPageTests.errorsCaptureAStackOnlyWhileTracing()")
                } == true)
        #endif
        #expect(ErrorTrace.isCapturing == false)
    }
}

/// Traces taken while other threads map and unmap files, as a database or Swift's own
/// symbolicator does: no trace reads a mapping that has gone (swiftlang/swift#92089).
@Suite struct ErrorTraceMappingTests {
    @Test func tracesSurviveFilesUnmappedMeanwhile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("mapped", String(repeating: "x", count: 1 << 16))
        let path = directory.path + "/mapped"
        final class Flag: Sendable { let raised = Atomic(false) }
        let stop = Flag()
        let churn = Thread {
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            while !stop.raised.load(ordering: .relaxed) {
                guard let region = mmap(nil, 1 << 16, PROT_READ, MAP_PRIVATE, descriptor, 0),
                    region != MAP_FAILED
                else { continue }
                munmap(region, 1 << 16)
            }
        }
        churn.start()
        defer { stop.raised.store(true, ordering: .relaxed) }
        var traced = 0
        for _ in 0..<300 {
            if ErrorTrace.$isCapturing.withValue(true, operation: { ErrorTrace.capture() }) != nil { traced += 1 }
        }
        #expect(traced == 300)
    }
}
