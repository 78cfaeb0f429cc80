import Foundation
import Gale
import GaleFastCGI
import GaleTesting
import Synchronization
import Testing

/// Collects a gateway's output in memory.
final class MemoryOutput: GatewayOutput {
    private let bytes = Mutex<[UInt8]>([])
    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
    func write(_ more: [UInt8]) { bytes.withLock { $0 += more } }
}

@Suite struct SynchronousGatewayTests {
    let app = try! makeServerTestApp()

    func run(_ variables: [String: String], body: String = "", serveRest: Bool = false) -> String {
        let output = MemoryOutput()
        let input = Array(body.utf8)
        SynchronousGateway(application: app, serveRest: serveRest).handle(
            variables: variables, readBody: { Array(input.prefix($0)) }, output: output)
        return output.text
    }

    @Test func variablesBecomeTheSameRequestTheServerWouldSee() throws {
        let request = try GatewayRequestBuilder.request(
            from: [
                "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/app", "PATH_INFO": "/a b", "QUERY_STRING": "x=1",
                "HTTP_ACCEPT_LANGUAGE": "es", "HTTP_X_FORWARDED_FOR": "1.2.3.4", "CONTENT_TYPE": "text/plain",
                "REMOTE_ADDR": "10.0.0.9", "HTTPS": "on", "SERVER_NAME": "example.com", "SERVER_PORT": "8443",
                "SERVER_PROTOCOL": "HTTP/1.0",
            ], body: [1, 2])
        #expect(request.method == "POST")
        #expect(request.uri == "/app/a%20b?x=1")
        #expect(request.headers["Accept-Language"] == "es")
        #expect(request.headers["X-Forwarded-For"] == "1.2.3.4")
        #expect(request.headers["Content-Type"] == "text/plain")
        #expect(request.headers["Content-Length"] == "2")
        #expect(request.host == "example.com:8443")
        #expect(request.remoteIP == "10.0.0.9")
        #expect(request.protocol == "https")
        #expect(request.version == "HTTP/1.0")
        let raw = try GatewayRequestBuilder.request(
            from: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/files/%2e%2e?y", "PATH_INFO": "/files/.."], body: [])
        #expect(raw.uri == "/files/%2e%2e?y")
    }

    @Test func servesARequestAsACGIAnswer() {
        let answer = run(["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "CONTENT_LENGTH": "5"], body: "hello")
        #expect(answer.hasPrefix("Status: 200 OK\r\n"))
        #expect(answer.hasSuffix("\r\n\r\n5:hello"))
        let head = run(["REQUEST_METHOD": "HEAD", "REQUEST_URI": "/"])
        #expect(head.hasPrefix("Status: 405"))
    }

    @Test func badCGIInputIs400NeverACrash() {
        #expect(run([:]).hasPrefix("Status: 400 Bad Request\r\n"))
        #expect(run(["REQUEST_METHOD": "get it"]).hasPrefix("Status: 400"))
        #expect(
            run(["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "CONTENT_LENGTH": "abc"]).hasPrefix("Status: 400"))
        #expect(
            run(["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "CONTENT_LENGTH": "-1"]).hasPrefix("Status: 400"))
        #expect(
            run(["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "CONTENT_LENGTH": "10"], body: "short")
                .hasPrefix("Status: 400"))
        #expect(
            run(["REQUEST_METHOD": "POST", "REQUEST_URI": "/echo", "CONTENT_LENGTH": "999999999999"])
                .hasPrefix("Status: 413"))
    }

    @Test func anAsyncOnlyFeatureReachedAtRunTimeFailsOneRequest() async throws {
        let answer = run(["REQUEST_METHOD": "GET", "REQUEST_URI": "/client"])
        #expect(answer.hasPrefix("Status: 500 Internal Server Error\r\n"))
        #expect(!answer.contains("fetched"))
        #expect(run(["REQUEST_METHOD": "GET", "REQUEST_URI": "/"]).hasSuffix("Hello, world"))
        let timer = run(["REQUEST_METHOD": "GET", "REQUEST_URI": "/timer"])
        #expect(timer.hasPrefix("Status: 500 Internal Server Error\r\n"))
        #expect(!timer.contains("scheduled"))
        // Under Gale's own server the same handlers run.
        try await app.test(.live) { client async throws in
            #expect(try await client.get("/client").text == "fetched")
            #expect(try await client.get("/timer").text == "scheduled")
        }
        let error = UnavailableFeature(feature: .asyncHTTPClient, runtime: "FastCGI")
        #expect(
            error.description
                == "the async HTTP client is not available under FastCGI; serve this route with Gale's own server")
    }

    @Test func refusalsReachVirtualHostsAndFallbackApplications() throws {
        let inner = Application([try URLSpec("/inner/slow", SlowHandler.self), try URLSpec("/ok", StreamHandler.self)])
        var app = Application(
            [
                try URLSpec("/ok", StreamHandler.self),
                try URLSpec("/legacy/.*", FallbackHandler.self, .init(fallback: inner)),
            ],
            settings: Settings(defaultHandler: HandlerFactory(FallbackHandler.self, .init(fallback: inner))))
        try app.addHandlers(#"api\.example\.com"#, [try URLSpec("/astream", AsyncStreamHandler.self)])
        let refusals = SynchronousModeCheck().refusals(for: app)
        #expect(
            refusals.map(\.pattern) == [
                "/legacy/.* -> /inner/slow", #"api\.example\.com /astream"#, "(default handler) -> /inner/slow",
            ])
        #expect(refusals.map(\.handler) == ["SlowHandler", "AsyncStreamHandler", "SlowHandler"])
    }

    @Test func asyncRoutesAreNamedAtStartUpAndAnswered501() {
        let refusals = SynchronousModeCheck().refusals(for: app)
        #expect(refusals.map(\.pattern) == ["/astream", "/slow"])  // route order
        let message = SynchronousModeCheck.message(for: refusals, mode: "CGI")
        #expect(message.contains("/slow -> SlowHandler: needs async handler methods (coroutines)"))
        #expect(message.contains("--serve-rest"))
        let refused = run(["REQUEST_METHOD": "GET", "REQUEST_URI": "/slow"], serveRest: true)
        #expect(refused.hasPrefix("Status: 501"))
        #expect(refused.contains("GET /slow needs async handler methods (coroutines), which CGI does not offer"))
        // The page names the mode it runs under.
        let fastCGI = SynchronousGateway(application: app, serveRest: true, runtimeName: "FastCGI")
        let output = MemoryOutput()
        fastCGI.handle(
            variables: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/slow"], readBody: { _ in [] }, output: output)
        #expect(output.text.contains("which FastCGI does not offer"))
        #expect(run(["REQUEST_METHOD": "GET", "REQUEST_URI": "/"], serveRest: true).hasSuffix("Hello, world"))
    }
}

/// `friendfeed request` and `friendfeed` as a CGI script, as real processes.
@Suite struct CGICommandTests {
    func output(_ arguments: [String], environment: [String: String]) async throws -> (String, Int32?) {
        let process = try ExampleProcess("friendfeed", arguments, environment: environment)
        let status = await process.stop(signal: 0, timeout: .seconds(20))
        return (process.printed, status)
    }

    @Test func requestRunsOneRequestFromTheShell() async throws {
        let (text, status) = try await output(
            ["request", "GET", "/whoami?x=1", "-H", "X-Test: 1", "--logging", "error"],
            environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(status == 0)
        #expect(text.hasPrefix("Status: 200 OK\r\n"))
        #expect(text.contains(#""remote_ip": "127.0.0.1""#))
        let (bad, badStatus) = try await output(
            ["request", "GET", "no-slash"], environment: ["FRIENDFEED_COOKIE_SECRET": "test"])
        #expect(badStatus != 0)
        #expect(bad.contains("must start with /"))
    }

    @Test func gatewayInterfaceMakesItACGIScript() async throws {
        let (text, status) = try await output(
            [],
            environment: [
                "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "REQUEST_URI": "/robots.txt",
                "FRIENDFEED_COOKIE_SECRET": "test",
            ])
        #expect(status == 0)
        #expect(text.contains("Status: 200 OK\r\n"))
        #expect(text.contains("Disallow: /login"))
    }

    @Test func aCGIRunWithoutACookieSecretRefusesToStart() async throws {
        // FriendFeed signs cookies; a CGI script makes no development secret, so without
        // FRIENDFEED_COOKIE_SECRET the run stops before any request, saying what to set.
        let (text, status) = try await output(
            [], environment: ["GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "REQUEST_URI": "/robots.txt"])
        #expect(status != 0)
        #expect(text.contains("friendfeed signs cookies"), "\(text)")
        #expect(text.contains("set FRIENDFEED_COOKIE_SECRET"), "\(text)")
        #expect(!text.contains("Status: 200"))
    }
}
