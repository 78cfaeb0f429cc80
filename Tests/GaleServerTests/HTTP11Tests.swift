import Gale
import GaleServer
import GaleTesting
import Logging
import Testing

/// HTTP/1.1 as the server speaks it on a real socket.
@Suite struct HTTP11Tests {
    let app: Application

    init() throws { app = try makeServerTestApp() }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            for _ in 0..<3 {
                try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try await connection.readResponse()
                #expect(response.text == "Hello, world")
                #expect(response.headers["Connection"] == nil)
                #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
                #expect(response.headers["Server"] == "Gale/\(Settings.galeVersion)")
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            // A slow async request first: the fast ones behind it must wait their turn.
            try await connection.send(
                "GET /slow?100 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "slow done")
            #expect(try await connection.readResponse(method: "POST").text == "3:abc")
            #expect(try await connection.readResponse().text == "Hello, world")
        }
    }

    @Test func chunkedRequestBody() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            #expect(try await connection.readResponse(method: "POST").text == "11:hello world")
        }
    }

    @Test func chunkedResponseFromFlush() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            #expect(response.text == "abc")
            // The connection stays usable after a chunked response.
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world")
        }
    }

    @Test func asyncHandlersStreamAcrossTheTaskHop() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("GET /astream HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let streamed = try await connection.readResponse()
            #expect(streamed.headers["Transfer-Encoding"] == "chunked")
            #expect(streamed.text == "xyz")
            #expect(try await connection.readResponse().text == "Hello, world")
        }
    }

    @Test func expectContinue() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await connection.readInterimResponse() == 100)
            try await connection.send("body")
            #expect(try await connection.readResponse(method: "POST").text == "4:body")
        }
    }

    @Test func headHasHeadersButNoBody() async throws {
        let app = try Application([("/", GetAndHeadHandler.self)])
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await connection.readResponse(method: "HEAD")
            #expect(head.status == 200)
            #expect(head.headers["Content-Length"] == "12")
            #expect(try await connection.readResponse().text == "Hello, world")
        }
    }

    @Test func http10Clients() async throws {
        try await app.test(.live) { client async throws in
            // No Host header, no keep-alive: the server answers and closes.
            let plain = try await client.connect()
            try await plain.send("GET / HTTP/1.0\r\n\r\n")
            let bytes = String(decoding: try await plain.readUntilClose(), as: UTF8.self)
            #expect(bytes.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(bytes.contains("Connection: close\r\n"))
            #expect(bytes.hasSuffix("Hello, world"))

            // Keep-alive asked for and granted when the length is known.
            let kept = try await client.connect()
            defer { kept.close() }
            for _ in 0..<2 {
                try await kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await kept.readResponse()
                #expect(response.headers["Connection"] == "keep-alive")
                #expect(response.text == "Hello, world")
            }

            // Streaming to HTTP/1.0 cannot be chunked: the body ends with the connection.
            let streamed = try await client.connect()
            try await streamed.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let text = String(decoding: try await streamed.readUntilClose(), as: UTF8.self)
            #expect(text.hasSuffix("\r\n\r\nabc"))
            #expect(!text.contains("chunked"))
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.headers["Connection"] == "close")
            #expect(await connection.waitForClose())
        }
    }

    @Test func xheadersFromALoadBalancer() async throws {
        try await app.test(.live, configuration: HTTPServer.Configuration(xheaders: true)) { client async throws in
            let proxied = try await client.get(
                "/whoami", headers: ["X-Forwarded-For": "203.0.113.9, 10.0.0.2", "X-Forwarded-Proto": "https"])
            #expect(proxied.text == #"{"protocol": "https", "remote_ip": "10.0.0.2"}"#)  // keys sorted
            let real = try await client.get("/whoami", headers: ["X-Real-Ip": "198.51.100.7", "X-Scheme": "https"])
            #expect(real.text.contains(#""remote_ip": "198.51.100.7""#))
            // Garbage in the headers is ignored, not logged or echoed.
            let forged = try await client.get("/whoami", headers: ["X-Real-Ip": "<script>", "X-Scheme": "javascript"])
            #expect(forged.text.contains(#""remote_ip": "127.0.0.1""#))
            #expect(forged.text.contains(#""protocol": "http""#))
        }
        try await app.test(.live) { client async throws in
            let ignored = try await client.get("/whoami", headers: ["X-Real-Ip": "198.51.100.7"])
            #expect(ignored.text.contains(#""remote_ip": "127.0.0.1""#))
        }
    }
}

final class GetAndHeadHandler: RequestHandler {
    override func get() throws { try write("Hello, world") }
    override func head() throws { try get() }
}

/// Promises 10 bytes, streams 4, then finishes: the head is gone, so only closing is left.
final class ShortStreamHandler: RequestHandler {
    override func get() throws {
        try setHeader("Content-Length", 10)
        try write("abcd")
        try flush()
    }
}

@Suite struct BrokenResponseTests {
    @Test func shortStreamedBodyClosesTheConnection() async throws {
        let app = try Application([("/", ShortStreamHandler.self), ("/hello", HelloHandler.self)])
            .withLogLevel(.critical)
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let raw = String(decoding: try await connection.readUntilClose(), as: UTF8.self)
            #expect(raw.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(raw.contains("Content-Length: 10\r\n"))
            #expect(raw.hasSuffix("\r\n\r\nabcd"))
            #expect(try await client.get("/hello").text == "Hello, world")
        }
    }
}
