import Gale
import GaleServer

/// Sends requests to an application, in memory or over a real socket, and returns the
/// responses, so one test body can run against every transport.
///
/// ```swift
/// try await app.test(.live) { client in
///     let response = try await client.get("/")
///     #expect(response.text == "Hello, world")
/// }
/// ```
public struct TestClient: Sendable {
    enum Transport: Sendable {
        case inMemory(Application)
        case live(host: String, port: Int)
        case cgi(Application)
        case fastCGI(socketPath: String)
    }

    let transport: Transport

    /// The port of the live server (`nil` in memory).
    public var port: Int? {
        if case .live(_, let port) = transport { return port }
        return nil
    }

    /// Sends one request and waits for its whole response.
    public func execute(
        _ method: String,
        _ uri: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = []
    ) async throws -> TestResponse {
        switch transport {
        case .inMemory(let application):
            var requestHeaders = headers
            if !requestHeaders.contains("Host") { requestHeaders.add("Host", "127.0.0.1") }
            if !body.isEmpty && !requestHeaders.contains("Content-Length") {
                requestHeaders.add("Content-Length", String(body.count))
            }
            let request = ServerRequest(method: method, uri: uri, headers: requestHeaders, body: body)
            let writer = CollectingWriter()
            await application.dispatch(request, to: writer)
            return await writer.response()
        case .cgi(let application):
            return try await GatewayTransport.execute(
                application: application, method: method, uri: uri, headers: headers, body: body)
        case .fastCGI(let socketPath):
            return try await GatewayTransport.executeFastCGI(
                socketPath: socketPath, method: method, uri: uri, headers: headers, body: body)
        case .live(let host, let port):
            let connection = try await RawConnection.connect(host: host, port: port)
            defer { connection.close() }
            var text = "\(method) \(uri) HTTP/1.1\r\n"
            if !headers.contains("Host") { text += "Host: \(host):\(port)\r\n" }
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            if !body.isEmpty && !headers.contains("Content-Length") && !headers.contains("Transfer-Encoding") {
                text += "Content-Length: \(body.count)\r\n"
            }
            text += "Connection: close\r\n\r\n"
            try await connection.send(Array(text.utf8) + body)
            return try await connection.readResponse(method: method)
        }
    }

    /// Sends a GET.
    public func get(_ uri: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await execute("GET", uri, headers: headers)
    }

    /// Sends a POST with `body`.
    public func post(_ uri: String, headers: HTTPHeaders = [:], body: [UInt8] = []) async throws -> TestResponse {
        try await execute("POST", uri, headers: headers, body: body)
    }

    /// Sends a POST with a urlencoded form.
    public func post(_ uri: String, form: [(String, String)], headers: HTTPHeaders = [:]) async throws -> TestResponse {
        let (formHeaders, body) = Self.formRequest(form, headers: headers)
        return try await execute("POST", uri, headers: formHeaders, body: body)
    }

    /// `headers` with the urlencoded form's `Content-Type`, and the encoded form.
    static func formRequest(_ form: [(String, String)], headers: HTTPHeaders) -> (HTTPHeaders, [UInt8]) {
        var formHeaders = headers
        formHeaders.add("Content-Type", "application/x-www-form-urlencoded")
        let encoded = form.map { "\(URLEncoding.encode($0.0))=\(URLEncoding.encode($0.1))" }.joined(separator: "&")
        return (formHeaders, Array(encoded.utf8))
    }
}

/// Where `Application.test` runs the application.
public enum TestMode: Sendable, CaseIterable {
    /// Straight through `Application.dispatch`, no socket.
    case inMemory
    /// Through Gale's HTTP server on 127.0.0.1 and an ephemeral port.
    case live
    /// Through the CGI path in memory: the request as CGI variables, the answer parsed from
    /// its `Status:` form. Routes the synchronous gateways cannot serve answer 501.
    case cgi
    /// Through libfcgi: a `FastCGIServer` on a unix socket in a temporary directory, sent the
    /// request as nginx's `fastcgi_pass` would. Routes it cannot serve answer 501. Only when
    /// Gale is built with its `FastCGI` trait (the default); otherwise `test(.fastCGI)` throws.
    case fastCGI

    /// The modes this build can run, for `@Test(arguments: TestMode.allCases)`: all four, or
    /// all but `.fastCGI` when Gale is built without its `FastCGI` trait. (The case itself stays,
    /// so that turning the trait on adds and removes nothing a test can name.)
    public static var allCases: [TestMode] {
        #if FastCGI
            [.inMemory, .live, .cgi, .fastCGI]
        #else
            [.inMemory, .live, .cgi]
        #endif
    }
}

/// `test(.fastCGI)` in a build of Gale without its `FastCGI` trait.
public struct FastCGIUnavailable: Error, CustomStringConvertible {
    /// What is missing.
    public var description: String {
        "TestMode.fastCGI needs Gale's FastCGI trait (libfcgi), which this build was made without"
    }
}

extension Application {
    /// Runs `body` with a client for this application: in memory, or against a live server on
    /// an ephemeral port that is shut down afterwards whatever `body` does.
    public func test<Result: Sendable>(
        _ mode: TestMode,
        configuration: HTTPServer.Configuration = HTTPServer.Configuration(),
        _ body: (TestClient) async throws -> Result
    ) async throws -> Result {
        switch mode {
        case .inMemory:
            return try await body(TestClient(transport: .inMemory(self)))
        case .cgi:
            return try await body(TestClient(transport: .cgi(self)))
        case .fastCGI:
            #if FastCGI
                let server = try FastCGITestServer(application: self)
                defer { server.stop() }
                return try await body(TestClient(transport: .fastCGI(socketPath: server.socketPath)))
            #else
                throw FastCGIUnavailable()
            #endif
        case .live:
            let server = HTTPServer(self, configuration: configuration)
            try await server.bind(0, address: "127.0.0.1")
            try server.start()
            guard let port = server.ports.first else {
                await server.shutdown()
                throw HTTPServerError.notBound
            }
            do {
                let result = try await body(TestClient(transport: .live(host: "127.0.0.1", port: port)))
                await server.shutdown()
                return result
            } catch {
                await server.shutdown()
                throw error
            }
        }
    }
}
