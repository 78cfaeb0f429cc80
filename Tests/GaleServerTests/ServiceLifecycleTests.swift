import Gale
import GaleServer
import GaleTesting
import Logging
import ServiceLifecycle
import Testing

/// Gale's server as a swift-service-lifecycle `Service`: it runs in a `ServiceGroup` beside
/// another service, and the group's graceful shutdown stops it the way SIGTERM would: the
/// request in flight is answered, then the server and the group end.
@Suite struct ServiceLifecycleTests {
    final class NapHandler: AsyncRequestHandler {
        override func get() async throws {
            try await Task.sleep(for: .milliseconds(500))
            try write("rested")
        }
    }

    /// Another service of the group: notes that it was asked to stop gracefully.
    actor Neighbour: Service {
        private(set) var stoppedGracefully = false

        func run() async throws {
            try? await gracefulShutdown()
            stoppedGracefully = true
        }
    }

    @Test(.timeLimit(.minutes(1))) func theServerStopsGracefullyWithItsServiceGroup() async throws {
        let app = try Application([("/nap", NapHandler.self)]).withLogLevel(.critical)
        let server = HTTPServer(app)
        try await server.bind(0, address: "127.0.0.1")
        let port = try #require(server.ports.first)
        let neighbour = Neighbour()
        let group = ServiceGroup(
            services: [server, neighbour], gracefulShutdownSignals: [], logger: Logger(label: "test-group"))
        let running = Task { try await group.run() }

        var answer = ""
        for _ in 0..<100 where !server.isStarted { try await Task.sleep(for: .milliseconds(10)) }
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await connection.send("GET /nap HTTP/1.1\r\nHost: x\r\n\r\n")
        try await Task.sleep(for: .milliseconds(100))  // the request is in its handler
        await group.triggerGracefulShutdown()
        answer = try await connection.readResponse(timeout: .seconds(10)).text
        try await running.value
        #expect(answer == "rested")
        #expect(await neighbour.stoppedGracefully)
        // Closed: a new client is refused.
        await #expect(throws: (any Error).self) { try await RawConnection.connect(host: "127.0.0.1", port: port) }
    }
}
