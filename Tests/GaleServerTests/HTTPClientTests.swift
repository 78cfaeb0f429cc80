import Gale
import GaleClient
import GaleFastCGI
import GaleServer
import GaleTesting
import Logging
import Synchronization
import Testing

/// Redirects `/r/N` to `/r/N-1`, and `/r/0` answers.
final class RedirectChainHandler: RequestHandler {
    override func get() throws {
        let remaining = Int(pathArgs[0]) ?? 0
        if remaining == 0 { return try write("arrived") }
        try redirect("/r/\(remaining - 1)")
    }
}

/// POST answers 303 to `/method`; `/method` says which method reached it.
final class SeeOtherHandler: RequestHandler {
    override func post() throws { try redirect("/method", status: 303) }
}

final class MethodHandler: RequestHandler {
    override func get() throws { try write("\(request.method) \(request.body.count)") }
    override func post() throws { try get() }
}

/// Fetches `/` from the server named in `?port` and passes on what it got: a handler that
/// needs the async client.
final class RelayHandler: AsyncRequestHandler {
    override class var requirements: HandlerRequirements { [.coroutines, .asyncHTTPClient] }

    override func get() async throws {
        let response = try await httpClient.fetch("http://127.0.0.1:\(request.query)/")
        try write("relayed: \(response.text)")
    }
}

@Suite struct HTTPClientTests {
    let app = Application([
        try! URLSpec("/", HelloHandler.self),
        try! URLSpec("/echo", EchoHandler.self),
        try! URLSpec(#"/r/(\d+)"#, RedirectChainHandler.self),
        try! URLSpec("/see-other", SeeOtherHandler.self),
        try! URLSpec("/method", MethodHandler.self),
        try! URLSpec("/slow", SlowHandler.self),
        try! URLSpec("/stream", StreamHandler.self),
        try! URLSpec("/relay", RelayHandler.self),
    ]).withLogLevel(.critical)

    @Test func fetchesWithTornadosNames() async throws {
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let client = AsyncHTTPClient.shared
            let hello = try await client.fetch(base + "/")
            #expect(hello.code == 200 && hello.reason == "OK" && hello.text == "Hello, world")
            #expect(hello.headers["Content-Length"] == "12")
            #expect(hello.effectiveURL == base + "/")
            let echo = try await client.fetch(base + "/echo", method: "POST", body: Array("abc".utf8))
            #expect(echo.text == "3:abc")

            let missing = await #expect(throws: HTTPClientError.self) { try await client.fetch(base + "/nowhere") }
            #expect(missing?.code == 404)
            #expect(missing?.response?.code == 404)
            let kept = try await client.fetch(HTTPRequest(base + "/nowhere", raiseError: false))
            #expect(kept.code == 404)

            var chunks: [[UInt8]] = []
            let collector = Collector()
            let streamed = try await client.fetch(
                HTTPRequest(base + "/stream", streamingCallback: { collector.add($0) }))
            chunks = collector.parts
            #expect(streamed.body.isEmpty)
            #expect(chunks.flatMap { $0 } == Array("abc".utf8))
            let tooBig = await #expect(throws: HTTPClientError.self) {
                try await client.fetch(HTTPRequest(base + "/", maxBodySize: 5))
            }
            #expect(tooBig?.code == 599)
        }
    }

    @Test func redirectsAsTornadoFollowsThem() async throws {
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let client = AsyncHTTPClient.shared
            let followed = try await client.fetch(base + "/r/3")
            #expect(followed.text == "arrived")
            #expect(followed.effectiveURL == base + "/r/0")
            let tooMany = await #expect(throws: HTTPClientError.self) {
                try await client.fetch(HTTPRequest(base + "/r/5", maxRedirects: 2))
            }
            #expect(tooMany?.code == 302)
            #expect(tooMany?.response?.headers["Location"] == "/r/2")
            let notFollowed = try await client.fetch(
                HTTPRequest(base + "/r/1", followRedirects: false, raiseError: false))
            #expect(notFollowed.code == 302)
            // 303 after a POST continues as a GET without the body.
            let seeOther = try await client.fetch(base + "/see-other", method: "POST", body: Array("x=1".utf8))
            #expect(seeOther.text == "GET 0")
        }
    }

    @Test func noAnswerIs599() async throws {
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let timedOut = await #expect(throws: HTTPClientError.self) {
                try await AsyncHTTPClient.shared.fetch(
                    // Long past the timeout, even on a machine too loaded to fire timers on time.
                    HTTPRequest(base + "/slow?20000", requestTimeout: .milliseconds(200)))
            }
            #expect(timedOut?.code == 599)
            #expect(timedOut?.message == "Timeout during request")
        }
        // A port nobody listens on.
        let port = try DeployConfig.freePort()
        let refused = await #expect(throws: HTTPClientError.self) {
            try await AsyncHTTPClient.shared.fetch("http://127.0.0.1:\(port)/")
        }
        #expect(refused?.code == 599)
    }

    @Test func aHandlerFetchesUnderGalesServerAndIsRefusedUnderTheGateways() async throws {
        try await app.test(.live) { client in
            let port = try #require(client.port)
            #expect(try await client.get("/relay?\(port)").text == "relayed: Hello, world")
        }
        let refusals = SynchronousModeCheck().refusals(for: app)
        #expect(refusals.last?.description.hasSuffix("and the async HTTP client") == true)
    }
}

/// Collects streamed parts from any thread.
final class Collector: Sendable {
    private let state = Mutex<[[UInt8]]>([])
    func add(_ part: [UInt8]) { state.withLock { $0.append(part) } }
    var parts: [[UInt8]] { state.withLock { $0 } }
}
