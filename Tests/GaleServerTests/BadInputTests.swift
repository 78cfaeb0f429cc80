import Gale
import GaleServer
import GaleTesting
import Testing

/// Malformed and hostile input: each gets a clear 4xx (or a closed connection), and the very
/// next request on a new connection is served normally.
@Suite struct BadInputTests {
    let app: Application

    init() throws { app = try makeServerTestApp() }

    /// Sends `bytes` on a fresh connection, returns the status line of the answer, and checks
    /// that the server closed that connection and still serves a new one.
    func refusal(_ bytes: String, client: TestClient) async throws -> String {
        let connection = try await client.connect()
        try await connection.send(bytes)
        let answer = String(decoding: try await connection.readUntilClose(), as: UTF8.self)
        let next = try await client.get("/")
        #expect(next.text == "Hello, world")
        return answer.split(separator: "\r\n").first.map(String.init) ?? ""
    }

    @Test func malformedRequestLine() async throws {
        try await app.test(.live) { client async throws in
            #expect(try await refusal("GARBAGE\r\n\r\n", client: client) == "HTTP/1.1 400 Bad Request")
            #expect(try await refusal("GET / HTTP/9.9\r\n\r\n", client: client).contains("400"))
            #expect(try await refusal("GET  HTTP/1.1\r\n\r\n", client: client).contains("400"))
        }
    }

    @Test func malformedHeaders() async throws {
        try await app.test(.live) { client async throws in
            #expect(try await refusal("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", client: client).contains("400"))
            #expect(try await refusal("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", client: client).contains("400"))
            #expect(
                try await refusal(
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", client: client
                ).contains("400"))
            #expect(
                try await refusal(
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                    client: client
                ).contains("400"))
        }
    }

    @Test func oversizedHeaderIs431() async throws {
        let configuration = HTTPServer.Configuration(maxHeaderSize: 1024)
        try await app.test(.live, configuration: configuration) { client async throws in
            let big = String(repeating: "a", count: 2000)
            #expect(
                try await refusal("GET / HTTP/1.1\r\nX-Big: \(big)\r\n\r\n", client: client)
                    == "HTTP/1.1 431 Request Header Fields Too Large")
            // The request line counts towards the limit too, as in Tornado.
            #expect(
                try await refusal("GET /\(big) HTTP/1.1\r\n\r\n", client: client)
                    == "HTTP/1.1 431 Request Header Fields Too Large")
        }
    }

    @Test func oversizedBodyIs413() async throws {
        let configuration = HTTPServer.Configuration(maxBodySize: 100)
        try await app.test(.live, configuration: configuration) { client async throws in
            // Declared too large: refused before a byte of the body is read.
            #expect(
                try await refusal("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", client: client)
                    == "HTTP/1.1 413 Content Too Large")
            // Chunked, growing past the limit.
            let chunk = String(repeating: "z", count: 60)
            #expect(
                try await refusal(
                    "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n\(chunk)\r\n3c\r\n\(chunk)\r\n",
                    client: client) == "HTTP/1.1 413 Content Too Large")
            // At the limit it is fine.
            let exact = try await client.post("/echo", body: Array(repeating: 0x61, count: 100))
            #expect(exact.text.hasPrefix("100:"))
        }
    }

    @Test func unsupportedExpectationIs417() async throws {
        try await app.test(.live) { client async throws in
            #expect(
                try await refusal(
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: teapot\r\n\r\n", client: client)
                    == "HTTP/1.1 417 Expectation Failed")
        }
    }

    @Test func clientDisconnectsMidBody() async throws {
        try await app.test(.live) { client async throws in
            for _ in 0..<3 {
                let connection = try await client.connect()
                try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial")
                connection.close()
            }
            #expect(try await client.get("/").text == "Hello, world")
            let echo = try await client.post("/echo", body: Array("after".utf8))
            #expect(echo.text == "5:after")
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        // 6 s, so a loaded machine (a headless browser and worker processes start beside this
        // test) still gets the first request in before the idle limit.
        let configuration = HTTPServer.Configuration(idleConnectionTimeout: .seconds(6))
        try await app.test(.live, configuration: configuration) { client async throws in
            let silent = try await client.connect()
            let connection = try await client.connect()
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world")
            #expect(await connection.waitForClose(timeout: .seconds(20)))
            #expect(await silent.waitForClose(timeout: .seconds(20)))  // never sent a byte
        }
    }

    @Test func slowBodyTimesOutWith408() async throws {
        let configuration = HTTPServer.Configuration(bodyTimeout: .milliseconds(200))
        try await app.test(.live, configuration: configuration) { client async throws in
            #expect(
                try await refusal("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", client: client)
                    == "HTTP/1.1 408 Request Timeout")
        }
    }
}
