import Gale
import GaleTesting
import Testing

/// Ends its requests with `Finish` in each way Tornado allows.
final class FinishHandler: RequestHandler {
    override func prepare() throws {
        if request.query == "prepare" { throw Finish("from prepare") }
    }

    override func get() throws {
        switch request.query {
        case "unauthorized":
            try setStatus(401)
            try setHeader("WWW-Authenticate", #"Basic realm="admin""#)
            try write("sign in first")
            throw Finish()
        case "text":
            try write("a,")
            throw Finish("b")
        case "bytes": throw Finish([0x00, 0xFF])
        case "finished":
            try finish("done")
            throw Finish("ignored")
        case "flushed":
            try write("one,")
            try flush()
            throw Finish("two")
        case "too-long":
            try setHeader("Content-Length", "1")
            throw Finish("longer than one byte")
        default: try write("the method ran")
        }
    }
}

final class AsyncFinishHandler: AsyncRequestHandler {
    override func get() async throws {
        try await Task.sleep(for: .milliseconds(1))
        throw Finish("async")
    }
}

@Suite struct FinishTests {
    @Test(arguments: TestMode.allCases)
    func finishEndsTheRequestWithoutAnErrorPageOrLog(mode: TestMode) async throws {
        let sink = LogSink()
        let app = try Application([("/", FinishHandler.self)]).capturingLogs(into: sink)
        try await app.test(mode) { client async throws in
            let unauthorized = try await client.get("/?unauthorized")
            #expect(unauthorized.status == 401)
            #expect(unauthorized.headers["WWW-Authenticate"] == #"Basic realm="admin""#)
            #expect(unauthorized.text == "sign in first")

            let text = try await client.get("/?text")
            #expect(text.status == 200)
            #expect(text.text == "a,b")
            #expect(text.headers["Etag"] != nil)  // finished as `finish()` does
            #expect(try await client.get("/?bytes").body == [0x00, 0xFF])
            #expect(try await client.get("/?prepare").text == "from prepare")
            #expect(try await client.get("/?finished").text == "done")
            #expect(try await client.get("/?flushed").text == "one,two")
        }
        #expect(!sink.messages.contains { $0.hasPrefix("error") || $0.contains("Finish") })
        #expect(sink.messages.contains { $0.hasPrefix("warning 401 GET /?unauthorized") })  // the access line
    }

    @Test(arguments: TestMode.allCases)
    func finishThatBreaksTheResponseIsA500(mode: TestMode) async throws {
        let sink = LogSink()
        let app = try Application([("/", FinishHandler.self)]).capturingLogs(into: sink)
        try await app.test(mode) { client async throws in
            let broken = try await client.get("/?too-long")
            #expect(broken.status == 500)
            #expect(!broken.text.contains("longer than one byte"))
            #expect(try await client.get("/").text == "the method ran")
        }
        #expect(sink.messages.contains { $0.contains("but Content-Length is 1") })
    }

    @Test func finishFromAnAsyncMethod() async throws {
        let app = try Application([("/", AsyncFinishHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/")
            #expect(response.status == 200)
            #expect(response.text == "async")
        }
    }
}
