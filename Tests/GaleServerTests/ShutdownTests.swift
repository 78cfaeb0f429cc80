import Gale
import GaleServer
import GaleTesting
import Testing

@Suite struct ShutdownTests {
    @Test func shutdownFinishesInFlightRequestsAndRefusesNewOnes() async throws {
        let gate = Gate()
        let server = HTTPServer(try makeGatedApp(gate))
        try await server.bind(0, address: "127.0.0.1")
        try server.start()
        let port = try #require(server.ports.first)

        let inFlight = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await inFlight.send("GET /gated HTTP/1.1\r\nHost: x\r\n\r\n")
        let idle = try await RawConnection.connect(host: "127.0.0.1", port: port)
        #expect(await gate.events(atLeast: 1) == ["waiting"])

        async let shutdown: Void = server.shutdown()
        // The idle connection is closed once its grace for a request ends (5 s, so that a
        // client sending one just then is answered; the bound leaves room for the whole suite's
        // load)...
        #expect(await idle.waitForClose(timeout: .seconds(60)))
        // ...the request in flight still gets its whole answer, then its connection closes.
        gate.open()
        let response = try await inFlight.readResponse()
        #expect(response.text == "passed")
        #expect(response.headers["Connection"] == "close")
        await shutdown
        #expect(await inFlight.waitForClose(timeout: .seconds(10)))
        // New connections are refused.
        await #expect(throws: (any Error).self) {
            try await RawConnection.connect(host: "127.0.0.1", port: port)
        }
    }

    @Test func gracePeriodEndCancelsWhatIsStillRunning() async throws {
        let gate = Gate()
        let server = HTTPServer(
            try makeGatedApp(gate), configuration: HTTPServer.Configuration(shutdownGracePeriod: .milliseconds(100)))
        try await server.bind(0, address: "127.0.0.1")
        try server.start()
        let port = try #require(server.ports.first)
        let stuck = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await stuck.send("GET /gated HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await gate.events(atLeast: 1) == ["waiting"])
        let started = ContinuousClock.now
        await server.shutdown()
        // The handler would wait at its gate forever: shutdown ended because the grace did
        // (0.1 s; the bound leaves room for the whole suite's load on two cores).
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(await stuck.waitForClose(timeout: .seconds(10)))
        // The connection owned the request's task: closing it cancelled the task, and the
        // handler heard the close.
        #expect(Set(await gate.events(atLeast: 3)) == ["waiting", "cancelled", "onConnectionClose"])
    }

    @Test func asyncRunServesUntilCancelled() async throws {
        let app = try makeServerTestApp()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let running = Task {
            try await app.run(port: 0, address: "127.0.0.1") { server in
                continuation.yield(server.ports.first ?? 0)
            }
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await connection.readResponse().text == "Hello, world")
        running.cancel()
        try await running.value
        #expect(await connection.waitForClose(timeout: .seconds(10)))
    }

    /// Refusals only: a `start(n)` that went ahead would make this test process a supervisor.
    @Test func startRefusesSeveralProcessesClearly() throws {
        let server = HTTPServer(try makeServerTestApp())
        #expect(throws: HTTPServerError.self) { try server.start() }
        try server.bind(0, address: "127.0.0.1")
        let negative = #expect(throws: HTTPServerError.self) { try server.start(-1) }
        #expect(negative?.description.contains("cannot be negative") == true)
        server.stop()
        let debugApp = try Application([("/", HelloHandler.self)], settings: Settings(debug: true))
        let debugServer = HTTPServer(debugApp)
        try debugServer.bind(0, address: "127.0.0.1")
        let debug = #expect(throws: HTTPServerError.self) { try debugServer.start(0) }
        #expect(debug?.description.contains("debug mode runs one process") == true)
        debugServer.stop()
    }

    @Test func bindFailureNamesTheAddress() throws {
        let first = HTTPServer(try makeServerTestApp())
        try first.bind(0, address: "127.0.0.1")
        defer { first.stop() }
        let port = try #require(first.ports.first)
        let second = HTTPServer(try makeServerTestApp())
        let error = #expect(throws: HTTPServerError.self) { try second.bind(port, address: "127.0.0.1") }
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
    }
}
