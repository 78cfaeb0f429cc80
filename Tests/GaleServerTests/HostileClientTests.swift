import Gale
import GaleServer
import GaleTesting
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Slow and hostile clients against the async server: each attack is bounded in time, and
/// while it runs a normal client is answered within a generous bound (the machine running
/// these tests may be loaded by other builds).
///
/// `make test` runs this suite on its own, after the others: its bounds are on latency, and in
/// one process with the other 500 tests a plain `GET /` took 3.1 s with no attack to blame.
@Suite struct HostileClientTests {
    let app: Application

    init() throws { app = try makeServerTestApp() }

    /// How long a normal `GET /` takes, checking its answer.
    static func timedHello(_ client: TestClient) async throws -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await client.get("/")
        #expect(response.text == "Hello, world")
        return clock.now - started
    }

    @Test func slowlorisIsCutOffAndOthersAreServed() async throws {
        // 40 clients send a request head a byte every 300 ms: its 27 bytes would take 8 s,
        // past the 3 s header timeout. The idle timeout (1 hour) would not end them.
        let configuration = HTTPServer.Configuration(headerTimeout: .seconds(3))
        try await app.test(.live, configuration: configuration) { client async throws in
            var connected: [RawConnection] = []
            for _ in 0..<40 { connected.append(try await client.connect()) }
            let attackers = connected
            let head = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let trickle = Task {
                for byte in head {
                    for attacker in attackers { try? await attacker.send([byte]) }
                    try? await Task.sleep(for: .milliseconds(300))
                }
            }
            var slowest = Duration.zero
            for _ in 0..<5 {
                slowest = max(slowest, try await Self.timedHello(client))
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(slowest < .seconds(3), "a normal request took \(slowest) during the attack")
            for attacker in attackers {
                // Closed without an answer (nginx's behaviour): no byte of a response came.
                let answer = try await attacker.readUntilClose(timeout: .seconds(20))
                #expect(answer.isEmpty, "\(String(decoding: answer, as: UTF8.self))")
            }
            trickle.cancel()
            _ = await trickle.value
            #expect(try await Self.timedHello(client) < .seconds(3))
        }
    }

    @Test func silentConnectionsAreClosedAfterTheHeaderTimeout() async throws {
        // The first request is awaited from the connection's start, as nginx does.
        let configuration = HTTPServer.Configuration(idleConnectionTimeout: .seconds(3600), headerTimeout: .seconds(1))
        try await app.test(.live, configuration: configuration) { client async throws in
            let silent = try await client.connect()
            #expect(await silent.waitForClose(timeout: .seconds(20)))
        }
    }

    @Test func keptAliveConnectionsWaitForTheIdleTimeoutNotTheHeaderTimeout() async throws {
        // Between requests the idle timeout applies; the header timeout starts with the next
        // request's first bytes. A header timeout counted from the last response would close
        // this connection before its second request. 10 s, so a loaded machine still sends the
        // first request in time (it is awaited from the connection's start; in a full parallel
        // run under a load of 19, 4 s was not enough).
        let configuration = HTTPServer.Configuration(idleConnectionTimeout: .seconds(3600), headerTimeout: .seconds(10))
        try await app.test(.live, configuration: configuration) { client async throws in
            let connection = try await client.connect()
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world")
            try await Task.sleep(for: .seconds(14))
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world")
            // Now a head begun and never finished is cut off.
            try await connection.send("GET / HTTP/1.1\r\nHo")
            #expect(try await connection.readUntilClose(timeout: .seconds(30)).isEmpty)
        }
    }

    @Test func noHeaderTimeoutLeavesASlowHeadToTheIdleTimeout() async throws {
        let configuration = HTTPServer.Configuration(idleConnectionTimeout: .seconds(3600), headerTimeout: nil)
        try await app.test(.live, configuration: configuration) { client async throws in
            let connection = try await client.connect()
            try await connection.send("GET / HTTP/1.1\r\nHo")
            #expect(await connection.waitForClose(timeout: .seconds(3)) == false)
            try await connection.send("st: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world")
        }
    }

    @Test func connectionsPastMaxConnectionsAreClosedAtOnce() async throws {
        let configuration = HTTPServer.Configuration(maxConnections: 3)
        try await app.test(.live, configuration: configuration) { client async throws in
            var held: [RawConnection] = []
            for _ in 0..<3 { held.append(try await client.connect()) }
            // The three are served...
            for connection in held {
                try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await connection.readResponse().text == "Hello, world")
            }
            // ...a fourth is closed without an answer...
            let extra = try await client.connect()
            try? await extra.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await extra.readUntilClose(timeout: .seconds(10)).isEmpty)
            // ...and once one of the three leaves, a new client is served again.
            held.removeLast().close()
            let deadline = ContinuousClock.now + .seconds(10)
            var served = false
            while !served, ContinuousClock.now < deadline {
                served = (try? await client.get("/").text) == "Hello, world"
                if !served { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(served)
            // The ones still open were never disturbed.
            try await held[0].send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await held[0].readResponse().text == "Hello, world")
        }
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let configuration = HTTPServer.Configuration()
        #expect(configuration.headerTimeout == .seconds(60))
        #expect(configuration.maxConnections == 10_000)
        #expect(configuration.idleConnectionTimeout == .seconds(3600))
        #expect(configuration.bodyTimeout == .seconds(3600))
    }
}
