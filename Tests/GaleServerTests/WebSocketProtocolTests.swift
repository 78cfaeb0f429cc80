import Gale
import GaleClient
import GaleTesting
import Logging
import Testing

/// RFC 6455 on the wire, from a client written byte by byte: fragments, control frames, the
/// closing handshake, and the order and cancellation of the handler's messages.
@Suite struct WebSocketProtocolTests {
    func makeApp(_ gate: Gate) throws -> Application {
        Application([
            try URLSpec(#"/ws"#, EchoSocket.self, gate),
            try URLSpec(#"/counted"#, CountedSocket.self, gate),
        ]).withLogLevel(.critical)
    }

    func closeFrame(_ code: Int, _ reason: [UInt8] = []) -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
    }

    @Test func fragmentsPingsAndTheClosingHandshake() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let (socket, status, _) = try await RawWebSocket.open(port: try #require(client.port))
            #expect(status == 101)
            // A message in three fragments, a ping between them.
            try await socket.send(opcode: 0x1, Array("fr".utf8), fin: false)
            try await socket.send(opcode: 0x9, [7])
            try await socket.send(opcode: 0x0, Array("a".utf8), fin: false)
            try await socket.send(opcode: 0x0, Array("g".utf8))
            let pong = try await socket.readFrame()
            #expect(pong.opcode == 0xA && pong.payload == [7])
            let echo = try await socket.readFrame()
            #expect(echo.opcode == 0x1 && echo.payload == Array("frag".utf8))
            // The client closes: the server answers with the same code and ends the connection.
            try await socket.send(opcode: 0x8, closeFrame(4001, Array("bye".utf8)))
            let answer = try await socket.readFrame()
            #expect(answer.opcode == 0x8 && answer.payload == closeFrame(4001))
            #expect(await socket.connection.waitForClose())
            #expect(await gate.events(atLeast: 2) == ["open ", "close 4001 bye"])
        }
    }

    @Test func badFramesCloseWithTheirCodes() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let port = try #require(client.port)
            let cases: [(opcode: UInt8, payload: [UInt8], rsv1: Bool, code: Int)] = [
                (0x8, [3], false, 1002),  // a close code cut in half
                (0x8, closeFrame(1005), false, 1002),  // a code no endpoint may send
                (0x8, closeFrame(1000, [0xC3, 0x28]), false, 1007),  // a reason that is not UTF-8
                (0x1, Array("hi".utf8), true, 1002),  // compressed, but compression was not agreed
                (0x3, [1], false, 1002),  // a reserved opcode
            ]
            for bad in cases {
                let (socket, _, _) = try await RawWebSocket.open(port: port)
                try await socket.send(opcode: bad.opcode, bad.payload, rsv1: bad.rsv1)
                #expect(try await socket.readCloseCode() == bad.code, "\(bad)")
                #expect(await socket.connection.waitForClose())
            }
            // The server still serves.
            let (socket, _, _) = try await RawWebSocket.open(port: port)
            try await socket.send(opcode: 0x1, Array("fine".utf8))
            #expect(try await socket.readFrame().payload == Array("fine".utf8))
        }
    }

    @Test func messagesWaitTheirTurn() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let (socket, _, _) = try await RawWebSocket.open(port: try #require(client.port))
            try await socket.send(opcode: 0x1, Array("wait".utf8))
            try await socket.send(opcode: 0x1, Array("second".utf8))
            #expect(await gate.events(atLeast: 2) == ["open ", "waiting"])
            gate.open()
            #expect(try await socket.readFrame().payload == Array("passed".utf8))
            #expect(try await socket.readFrame().payload == Array("second".utf8))
        }
    }

    @Test func aLeavingClientCancelsTheRunningMessage() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let (socket, _, _) = try await RawWebSocket.open(port: try #require(client.port))
            try await socket.send(opcode: 0x1, Array("wait".utf8))
            #expect(await gate.events(atLeast: 2) == ["open ", "waiting"])
            socket.connection.close()
            // `onClose` comes after the cancelled `onMessage` has returned.
            #expect(await gate.events(atLeast: 4) == ["open ", "waiting", "message cancelled", "close - -"])
        }
    }

    @Test func anotherSocketsErrorEscapingOnMessageCloses1011() async throws {
        try await makeApp(Gate()).test(.live) { client in
            let (socket, _, _) = try await RawWebSocket.open(port: try #require(client.port))
            try await socket.send(opcode: 0x1, Array("closed elsewhere".utf8))
            #expect(try await socket.readCloseCode() == 1011)
        }
    }

    /// Nothing keeps a closed socket's handler (and its zlib state) alive: no reference cycle
    /// between the pipeline, the socket's channel handler, the `WebSocketHandler` and its
    /// `connection`.
    @Test func aClosedSocketsHandlerIsFreed() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let port = try #require(client.port)
            let clean = try await websocketConnect(
                "ws://127.0.0.1:\(port)/counted", compression: WebSocketCompressionOptions())
            try await clean.writeMessage("hello")
            #expect(await clean.readMessage() == .text("hello"))
            await clean.close()
            #expect(await gate.events(atLeast: 1) == ["deinit"])
            let (abrupt, _, _) = try await RawWebSocket.open(port: port, path: "/counted")
            try await abrupt.send(opcode: 0x1, Array("hi".utf8))
            _ = try await abrupt.readFrame()
            abrupt.connection.close()
            #expect(await gate.events(atLeast: 2) == ["deinit", "deinit"])
        }
    }
}
