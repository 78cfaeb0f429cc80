import Foundation
import Gale
import GaleMetrics
import GaleTesting
import Logging
import Prometheus
import Testing

/// Request metrics as a Prometheus server sees them: the text `PrometheusHandler` serves,
/// parsed by the Prometheus project's own Python client (`prometheus_client.parser`), in every
/// mode an application runs in.
@Suite struct MetricsInstrumentTests {
    final class HelloHandler: RequestHandler {
        override func get() throws { try write("Hello, world") }
    }

    final class EntryHandler: RequestHandler {
        override func get() throws { try write("entry \(pathArgs[0])") }
    }

    final class FailingHandler: RequestHandler {
        struct Broken: Error {}
        override func get() throws { throw Broken() }
    }

    static func application(_ registry: PrometheusCollectorRegistry, gate: Gate = Gate()) throws -> Application {
        try Application(
            [
                URLSpec("/", HelloHandler.self),
                URLSpec("/entry/([^/]+)", EntryHandler.self),
                URLSpec("/fail", FailingHandler.self),
                URLSpec("/slow", GatedHandler.self, gate),
                URLSpec("/metrics", PrometheusHandler.self, .init(registry: registry)),
            ],
            settings: Settings(instruments: [MetricsInstrument.prometheus(registry: registry)])
        ).withLogLevel(.critical)
    }

    @Test(arguments: [TestMode.inMemory, .live, .cgi, .fastCGI])
    func countsTimesAndLabelsEveryRequest(mode: TestMode) async throws {
        let registry = PrometheusCollectorRegistry()
        let samples = try await Self.application(registry).test(mode) { client in
            for _ in 0..<3 { #expect(try await client.get("/").status == 200) }
            #expect(try await client.get("/entry/one").status == 200)
            #expect(try await client.get("/entry/two").status == 200)
            #expect(try await client.get("/fail").status == 500)
            #expect(try await client.get("/no/such/path-a1").status == 404)
            #expect(try await client.get("/no/such/path-b2").status == 404)
            #expect(try await client.execute("PROPFIND", "/").status == 405)
            let scrape = try await client.get("/metrics")
            #expect(scrape.status == 200)
            #expect(scrape.headers["Content-Type"] == PrometheusHandler.contentType)
            #expect(!scrape.text.contains("path-a1"), "a path must never become a label")
            return try await PrometheusText.parse(scrape.text)
        }
        func requests(_ route: String, _ status: String, method: String = "GET") -> Double? {
            samples.value("http_server_requests_total", ["method": method, "route": route, "status": status])
        }
        #expect(requests("/", "2xx") == 3)
        #expect(requests("/entry/([^/]+)", "2xx") == 2, "one series for the route, whatever its captures")
        #expect(requests("/fail", "5xx") == 1)
        #expect(requests("", "4xx") == 2, "unmatched paths share the empty route")
        #expect(requests("/", "4xx", method: "_OTHER") == 1, "a made-up method is _OTHER")
        let durations = samples.value(
            "http_server_request_duration_seconds_count", ["method": "GET", "route": "/", "status": "2xx"])
        #expect(durations == 3)
        let fastest = samples.value(
            "http_server_request_duration_seconds_bucket",
            ["method": "GET", "route": "/", "status": "2xx", "le": "10.0"])
        #expect(fastest == 3)
        #expect(samples.value("http_server_requests_in_flight", ["method": "GET", "route": "/"]) == 0)
        // The scrape itself is in flight while it renders.
        #expect(samples.value("http_server_requests_in_flight", ["method": "GET", "route": "/metrics"]) == 1)
    }

    @Test func aRequestIsInFlightUntilItsAnswer() async throws {
        try await Self.withSlowRequestInFlight { client, connection, gate in
            defer { connection.close() }
            gate.open()
            #expect(try await connection.readResponse(timeout: .seconds(60)).text == "passed")
            try await waitUntil { try await Self.inFlight(client, route: "/slow") == 0 }
        }
    }

    @Test func aClientThatLeavesEndsItsRequestAs499() async throws {
        try await Self.withSlowRequestInFlight { client, connection, _ in
            connection.close()
            try await waitUntil { try await Self.inFlight(client, route: "/slow") == 0 }
            let samples = try await PrometheusText.parse(try await client.get("/metrics").text)
            #expect(
                samples.value("http_server_requests_total", ["method": "GET", "route": "/slow", "status": "4xx"]) == 1)
        }
    }

    /// Runs `body` against a live server once a request to `/slow` (on `connection`) is seen
    /// in flight, held at `gate`.
    static func withSlowRequestInFlight(
        _ body: (TestClient, RawConnection, Gate) async throws -> Void
    ) async throws {
        let gate = Gate()
        try await application(PrometheusCollectorRegistry(), gate: gate).test(.live) { client in
            let connection = try await RawConnection.connect(host: "127.0.0.1", port: try #require(client.port))
            try await connection.send("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            try await waitUntil { try await inFlight(client, route: "/slow") == 1 }
            try await body(client, connection, gate)
        }
    }

    /// The in-flight gauge for GET `route`, read straight from the exposition's line: polled
    /// every 20 ms, so it does not start Python (whose blocking wait would hold one of the
    /// suite's two cooperative threads each time); the tests parse with it once they are done.
    static func inFlight(_ client: TestClient, route: String) async throws -> Double? {
        let prefix = "http_server_requests_in_flight{method=\"GET\",route=\"\(route)\"} "
        let line = try await client.get("/metrics").text.split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Double($0.dropFirst(prefix.count)) }
    }
}

/// Polls `condition` every 20 ms for up to 60 s: it is met within milliseconds alone, but the
/// whole suite at once can hold a server's event loops for seconds on a 2-core machine. An
/// error (a scrape timing out meanwhile) counts as "not yet".
func waitUntil(_ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record(
        "condition not met within 60 s (last error: \(lastError.map { "\($0)" } ?? "none"))",
        sourceLocation: sourceLocation)
}
