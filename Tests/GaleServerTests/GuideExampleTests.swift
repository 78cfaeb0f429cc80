import Gale
import GaleClient
import GaleServer
import GaleTesting
import Logging
import Testing

// The examples of Docs/Guide.md's chapter on async handlers, streaming and WebSockets,
// verbatim, so the documentation cannot drift from the code.

final class CountHandler: AsyncRequestHandler {
    override func get() async throws {
        for number in 1...100_000 {
            try write("\(number)\n")
            if number % 1000 == 0 { try await flush() }  // backpressure
        }
    }
}

final class SizeUploadHandler: AsyncRequestHandler {
    override class var streamRequestBody: Bool { true }
    override class var maxBodySize: Int? { 4 << 30 }
    private var size = 0
    override func dataReceived(_ chunk: [UInt8]) async throws { size += chunk.count }
    override func put() async throws { try write("\(size) bytes") }
}

final class WelcomeSocket: WebSocketHandler {
    override func open() async throws { try await writeMessage("welcome") }
    override func onMessage(_ message: WebSocketMessage) async throws {
        try await writeMessage("you said \(message.text ?? "binary")")
    }
    override func onClose() { print("closed with \(closeCode ?? 0)") }
}

@Suite struct GuideExampleTests {
    @Test func asyncChapter() async throws {
        let app = try Application([
            ("/count", CountHandler.self), ("/upload", SizeUploadHandler.self), ("/socket", WelcomeSocket.self),
        ]).withLogLevel(.critical)
        try await app.test(.live) { client in
            let counted = try await client.get("/count")
            #expect(counted.text.hasPrefix("1\n2\n3\n") && counted.text.hasSuffix("\n100000\n"))
            #expect(counted.headers["Transfer-Encoding"] == "chunked")
            #expect(
                try await client.execute("PUT", "/upload", body: Array(repeating: 7, count: 100_000)).text
                    == "100000 bytes")
            let socket = try await websocketConnect("ws://127.0.0.1:\(try #require(client.port))/socket")
            #expect(await socket.readMessage() == .text("welcome"))
            try await socket.writeMessage("hi")
            #expect(await socket.readMessage() == .text("you said hi"))
            await socket.close()
        }
    }
}
