import Gale
import GaleClient
import GaleTesting
import Logging
import Testing

/// Answers "json" with a `Message` as JSON, "nan" with the error writing a NaN as JSON gives
/// (the socket stays open), and anything else with "?".
final class JSONSocket: WebSocketHandler {
    struct Message: Encodable {
        var user = "ann"
        var text = "</script> ☃"
        var at = 1.5
        var seen: Int? = nil
    }

    struct Bad: Encodable {
        var value = Double.nan
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        switch message.text {
        case "json": try await writeMessage(Message())
        case "nan":
            do {
                try await writeMessage(Bad())
            } catch {
                try await writeMessage("error: \(error)")
            }
        default: try await writeMessage("?")
        }
    }
}

@Suite struct WebSocketJSONTests {
    /// Tornado's `write_message(dict)` for `Message`, recorded by
    /// Tests/Scripts/record_json_cases.py (its case "message").
    static let tornado = #"{"user": "ann", "text": "<\/script> \u2603", "at": 1.5, "seen": null}"#

    @Test func jsonMessagesAreTornadosAndABadValueSendsNothing() async throws {
        let app = try Application([("/ws", JSONSocket.self)]).withLogLevel(.critical)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let socket = try await websocketConnect("ws://127.0.0.1:\(port)/ws")
            try await socket.writeMessage("json")
            #expect(await socket.readMessage() == .text(Self.tornado))
            try await socket.writeMessage("nan")
            let refused = "error: cannot write value as JSON: nan (JSON has no NaN or Infinity)"
            #expect(await socket.readMessage() == .text(refused))
            try await socket.writeMessage("json")
            #expect(await socket.readMessage() == .text(Self.tornado))
            await socket.close(code: 1000, reason: "done")
        }
    }
}
