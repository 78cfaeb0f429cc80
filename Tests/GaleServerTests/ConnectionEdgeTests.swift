import Gale
import GaleServer
import GaleTesting
import Logging
import Testing

/// Connection-level edge cases found in review: deep pipelines, closing connections that
/// still hold pipelined requests, broken responses, HTTP/1.0 expectations, proxy headers.
@Suite struct ConnectionEdgeTests {
    let app: Application

    init() throws { app = try makeServerTestApp() }

    @Test func thousandsOfPipelinedRequestsDoNotNestOnTheStack() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            let count = 3000
            // A slow async request first, so the rest pile up in NIO's pipelining buffer.
            try await connection.send(
                "GET /slow?50 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + String(repeating: "GET / HTTP/1.1\r\nHost: x\r\n\r\n", count: count))
            #expect(try await connection.readResponse().text == "slow done")
            for _ in 0..<count {
                #expect(try await connection.readResponse(timeout: .seconds(20)).text == "Hello, world")
            }
        }
    }

    @Test func noPipelinedRequestRunsAfterTheServerChoseToClose() async throws {
        try await app.test(.live, configuration: HTTPServer.Configuration(noKeepAlive: true)) { client async throws in
            let connection = try await client.connect()
            try await connection.send(
                "GET /slow?30 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz")
            let raw = String(decoding: try await connection.readUntilClose(), as: UTF8.self)
            #expect(raw.ranges(of: "HTTP/1.1 ").count == 1, "\(raw)")
            #expect(raw.hasSuffix("slow done"))
        }
        try await app.test(.live) { client async throws in
            // The client itself said close and then kept talking: no 400 after the answer.
            let connection = try await client.connect()
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGARBAGE\r\n\r\n")
            let raw = String(decoding: try await connection.readUntilClose(), as: UTF8.self)
            #expect(raw.ranges(of: "HTTP/1.1 ").count == 1, "\(raw)")
            #expect(raw.hasSuffix("Hello, world"))
        }
    }

    @Test func aBrokenResponseNeitherEndsCleanlyNorLetsTheNextOneIn() async throws {
        let app = try Application([("/short", ShortStreamHandler.self), ("/", HelloHandler.self)])
            .withLogLevel(.critical)
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            try await connection.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let raw = String(decoding: try await connection.readUntilClose(), as: UTF8.self)
            #expect(raw.hasSuffix("\r\n\r\nabcd"), "\(raw)")
            #expect(!raw.contains("Hello, world"))
        }
    }

    @Test func http10ClientsGetNoInterimResponse() async throws {
        try await app.test(.live) { client async throws in
            let connection = try await client.connect()
            try await connection.send(
                "POST /echo HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi")
            let raw = String(decoding: try await connection.readUntilClose(), as: UTF8.self)
            #expect(!raw.contains("100 Continue"))
            #expect(raw.hasPrefix("HTTP/1.0 200 OK"))
            #expect(raw.hasSuffix("2:hi"))
        }
    }

    @Test func forwardedForSpreadOverSeveralLinesIsReadFromTheRight() async throws {
        try await app.test(.live, configuration: HTTPServer.Configuration(xheaders: true)) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send(
                "GET /whoami HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n")
            #expect(try await connection.readResponse().text.contains(#""remote_ip": "10.1.2.3""#))
        }
    }

    @Test func timeoutsCanBeSwitchedOff() async throws {
        let configuration = HTTPServer.Configuration(idleConnectionTimeout: nil, bodyTimeout: .zero)
        try await app.test(.live, configuration: configuration) { client async throws in
            let connection = try await client.connect()
            defer { connection.close() }
            try await connection.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
            try await Task.sleep(for: .milliseconds(100))
            try await connection.send("cd")
            #expect(try await connection.readResponse(method: "POST").text == "4:abcd")
        }
    }
}
