import Gale
import GaleTesting
import GaleTracing
import InMemoryTracing
import Logging
import Testing
import Tracing

/// A span per request, continuing the trace of a W3C `traceparent` header, current while the
/// handler runs, in every mode.
@Suite struct TracingInstrumentTests {
    /// Answers with the trace and span it runs in (`ServiceContext.current`).
    final class EntryHandler: RequestHandler {
        override func get() throws {
            let span = ServiceContext.current?.inMemorySpanContext
            try write("\(span?.traceID ?? "none") \(span?.spanID ?? "none")")
        }
    }

    final class AsyncEntryHandler: AsyncRequestHandler {
        override func get() async throws {
            try await Task.sleep(for: .milliseconds(1))
            let span = ServiceContext.current?.inMemorySpanContext
            try write("\(span?.traceID ?? "none") \(span?.spanID ?? "none")")
        }
    }

    final class FailingHandler: RequestHandler {
        struct Broken: Error {}
        override func get() throws { throw Broken() }
    }

    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentSpanID = "00f067aa0ba902b7"
    static let traceparent = "00-\(traceID)-\(parentSpanID)-01"

    static func application(_ tracer: W3CTracer) throws -> Application {
        try Application(
            [
                URLSpec("/entry/([^/]+)", EntryHandler.self),
                URLSpec("/async/([^/]+)", AsyncEntryHandler.self),
                URLSpec("/fail", FailingHandler.self),
            ],
            settings: Settings(instruments: [TracingInstrument(tracer: tracer)])
        ).withLogLevel(.critical)
    }

    @Test(arguments: [TestMode.inMemory, .live, .cgi, .fastCGI])
    func continuesTheCallersTrace(mode: TestMode) async throws {
        let tracer = W3CTracer()
        let body = try await Self.application(tracer).test(mode) { client in
            try await client.get("/entry/7?x=1", headers: ["traceparent": Self.traceparent, "User-Agent": "probe"]).text
        }
        let span = try #require(tracer.spans.finishedSpans.first)
        #expect(tracer.spans.finishedSpans.count == 1)
        #expect(span.operationName == "GET /entry/([^/]+)")
        #expect(span.kind == .server)
        #expect(span.traceID == Self.traceID)
        #expect(span.parentSpanID == Self.parentSpanID)
        #expect(body == "\(Self.traceID) \(span.spanID)", "the handler runs inside the request's span")
        #expect(span.attributes["http.route"]?.toSpanAttribute() == .string("/entry/([^/]+)"))
        #expect(span.attributes["http.request.method"]?.toSpanAttribute() == .string("GET"))
        #expect(span.attributes["url.path"]?.toSpanAttribute() == .string("/entry/7"))
        #expect(span.attributes["url.query"]?.toSpanAttribute() == .string("x=1"))
        #expect(span.attributes["user_agent.original"]?.toSpanAttribute() == .string("probe"))
        #expect(span.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(200))
        #expect(span.status == nil)
    }

    @Test func anAsyncHandlerRunsInsideItsSpanAcrossSuspensions() async throws {
        let tracer = W3CTracer()
        let body = try await Self.application(tracer).test(.live) { client in
            try await client.get("/async/1", headers: ["traceparent": Self.traceparent]).text
        }
        let span = try #require(tracer.spans.finishedSpans.first)
        #expect(span.operationName == "GET /async/([^/]+)")
        #expect(body == "\(Self.traceID) \(span.spanID)")
    }

    @Test func withoutATraceparentARequestStartsATrace() async throws {
        let tracer = W3CTracer()
        try await Self.application(tracer).test(.live) { client in
            _ = try await client.get("/entry/1")
            _ = try await client.get("/entry/2")
        }
        let spans = tracer.spans.finishedSpans
        #expect(spans.count == 2)
        #expect(spans.allSatisfy { $0.parentSpanID == nil })
        #expect(Set(spans.map(\.traceID)).count == 2)
    }

    @Test(arguments: ["garbage", "00-\(traceID)-\(parentSpanID)", "ff-\(traceID)-\(parentSpanID)-01", "00-zz-00-01"])
    func aMalformedTraceparentStartsAFreshTraceAndCostsNothingElse(header: String) async throws {
        let tracer = W3CTracer()
        let status = try await Self.application(tracer).test(.live) { client in
            try await client.get("/entry/1", headers: ["traceparent": header]).status
        }
        #expect(status == 200)
        let span = try #require(tracer.spans.finishedSpans.first)
        #expect(span.parentSpanID == nil)
        #expect(span.traceID != Self.traceID)
    }

    @Test func aServerErrorMarksTheSpanAndAnUnmatchedPathNamesNoRoute() async throws {
        let tracer = W3CTracer()
        let statuses = try await Self.application(tracer).test(.live) { client in
            [try await client.get("/fail").status, try await client.get("/nowhere/secret-path").status]
        }
        #expect(statuses == [500, 404])
        let spans = tracer.spans.finishedSpans
        let failed = try #require(spans.first { $0.operationName == "GET /fail" })
        #expect(failed.status?.code == .error)
        #expect(failed.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(500))
        let unmatched = try #require(spans.first { $0.operationName == "GET" })
        #expect(unmatched.attributes["http.route"] == nil)
        #expect(unmatched.status == nil, "a 4xx is the client's error, not the server's")
    }
}
