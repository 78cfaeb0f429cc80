import Gale
import GaleClient
import GaleFastCGI
import GaleServer
import GaleTesting
import Logging
import Testing

@Suite struct WebSocketTests {
    func makeApp(_ gate: Gate, settings: Settings = Settings()) throws -> Application {
        Application(
            [
                try URLSpec(#"/ws"#, EchoSocket.self, gate),
                try URLSpec(#"/room/(\w+)"#, EchoSocket.self, gate),
                try URLSpec("/", HelloHandler.self),
            ], settings: settings
        ).withLogLevel(.critical)
    }

    @Test func echoesTextAndBinaryWithCompressionAndHearsTheClose() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let port = try #require(client.port)
            let socket = try await websocketConnect(
                "ws://127.0.0.1:\(port)/room/lobby", compression: WebSocketCompressionOptions())
            try await socket.writeMessage("hello")
            #expect(await socket.readMessage() == .text("hello"))
            let big = String(repeating: "compressible ", count: 10_000)
            try await socket.writeMessage(big)
            #expect(await socket.readMessage() == .text(big))
            try await socket.writeMessage([0, 1, 2, 255])
            #expect(await socket.readMessage() == .binary([0, 1, 2, 255]))
            await socket.close(code: 1000, reason: "done")
            #expect(await gate.events(atLeast: 2) == ["open lobby", "close 1000 done"])
        }
    }

    @Test func theServerClosesWithACodeAndPings() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let port = try #require(client.port)
            let socket = try await websocketConnect("ws://127.0.0.1:\(port)/ws")
            try await socket.writeMessage("ping")
            try await socket.writeMessage("close")
            #expect(await socket.readMessage() == nil)
            #expect(await socket.closed() == (4000, "asked to"))
            let events = await gate.events(atLeast: 3)
            #expect(events.first == "open ")
            #expect(events.contains("pong [1, 2, 3]"))
        }
    }

    @Test func handshakesRefusedAsTornadoRefusesThem() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let port = try #require(client.port)
            // A plain GET: 400.
            let plain = try await client.get("/ws")
            #expect(plain.status == 400)
            #expect(plain.text == #"Can "Upgrade" only to "WebSocket"."#)
            #expect(try await RawWebSocket.open(port: port, headers: ["Connection": "keep-alive"]).status == 400)
            // A version Gale does not speak: 426, naming the one it does.
            let (_, status, head) = try await RawWebSocket.open(port: port, headers: ["Sec-WebSocket-Version": "12"])
            #expect(status == 426)
            #expect(head.lowercased().contains("sec-websocket-version: 13"))
            // NIO parses nothing more after an upgrade request, so a refusal closes.
            #expect(head.contains("Connection: close"))
            let h2c = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await h2c.send(
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n")
            let plainAnswer = try await h2c.readResponse()
            #expect(plainAnswer.text == "Hello, world" && plainAnswer.headers["Connection"] == "close")
            #expect(await h2c.waitForClose())
            // Another site's page: 403. Same origin, and clients without Origin: accepted.
            let crossSite = try await RawWebSocket.open(port: port, headers: ["Origin": "http://evil.example"])
            #expect(crossSite.status == 403)
            let sameSite = try await RawWebSocket.open(port: port, headers: ["Origin": "http://127.0.0.1:\(port)"])
            #expect(sameSite.status == 101)
            let nullOrigin = try await RawWebSocket.open(port: port, headers: ["Origin": "null"])
            #expect(nullOrigin.status == 403)
            #expect(try await RawWebSocket.open(port: port, headers: ["Sec-WebSocket-Key": ""]).status == 400)
            // A subprotocol is chosen from those offered; the accept key is RFC 6455's example.
            let (_, accepted, acceptedHead) = try await RawWebSocket.open(
                port: port, headers: ["Sec-WebSocket-Protocol": "chat, echo"])
            #expect(accepted == 101)
            #expect(acceptedHead.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
            #expect(acceptedHead.contains("Sec-WebSocket-Protocol: echo"))
            #expect(try await client.get("/").text == "Hello, world")
        }
    }

    @Test func protocolErrorsCloseOnlyThatSocket() async throws {
        let gate = Gate()
        try await makeApp(gate, settings: Settings(websocketMaxMessageSize: 1000)).test(.live) { client in
            let port = try #require(client.port)
            // Unmasked client frame: 1002.
            let (unmasked, _, _) = try await RawWebSocket.open(port: port)
            try await unmasked.send(opcode: 0x1, Array("hi".utf8), masked: false)
            #expect(try await unmasked.readCloseCode() == 1002)
            // Invalid UTF-8 in a text message: 1007.
            let (badText, _, _) = try await RawWebSocket.open(port: port)
            try await badText.send(opcode: 0x1, [0xC3, 0x28])
            #expect(try await badText.readCloseCode() == 1007)
            // Over websocketMaxMessageSize, in one frame or in several: 1009.
            let (big, _, _) = try await RawWebSocket.open(port: port)
            try await big.send(opcode: 0x2, [UInt8](repeating: 1, count: 1001))
            #expect(try await big.readCloseCode() == 1009)
            let (fragmented, _, _) = try await RawWebSocket.open(port: port)
            try await fragmented.send(opcode: 0x2, [UInt8](repeating: 1, count: 600), fin: false)
            try await fragmented.send(opcode: 0x0, [UInt8](repeating: 1, count: 600))
            #expect(try await fragmented.readCloseCode() == 1009)
            // An error thrown in onMessage: 1011.
            let (throwing, _, _) = try await RawWebSocket.open(port: port)
            try await throwing.send(opcode: 0x1, Array("boom".utf8))
            #expect(try await throwing.readCloseCode() == 1011)
            // Every other client is still served.
            let socket = try await websocketConnect("ws://127.0.0.1:\(port)/ws")
            try await socket.writeMessage("still here")
            #expect(await socket.readMessage() == .text("still here"))
            await socket.close()
            #expect(try await client.get("/").text == "Hello, world")
        }
    }

    @Test func noMessageLimitMeansNoLimit() async throws {
        try await makeApp(Gate(), settings: Settings(websocketMaxMessageSize: .max)).test(.live) { client in
            let socket = try await websocketConnect("ws://127.0.0.1:\(try #require(client.port))/ws")
            try await socket.writeMessage("unlimited")
            #expect(await socket.readMessage() == .text("unlimited"))
        }
    }

    @Test func aKeptAliveConnectionUpgradesOnALaterRequest() async throws {
        let gate = Gate()
        try await makeApp(gate).test(.live) { client in
            let port = try #require(client.port)
            let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world")
            try await connection.send(
                "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            let socket = RawWebSocket(connection: connection)
            #expect(try await socket.readHead().0 == 101)
            try await socket.send(opcode: 0x1, Array("again".utf8))
            let frame = try await socket.readFrame()
            #expect(frame.opcode == 0x1 && frame.payload == Array("again".utf8))
        }
    }

    @Test func unansweredPingsEndTheConnection() async throws {
        let gate = Gate()
        let settings = Settings(websocketPingInterval: .milliseconds(100), websocketPingTimeout: .milliseconds(100))
        try await makeApp(gate, settings: settings).test(.live) { client in
            let port = try #require(client.port)
            let (silent, status, _) = try await RawWebSocket.open(port: port)
            #expect(status == 101)
            // Pings come, and are never answered: the server ends the connection.
            #expect(await silent.connection.waitForClose(timeout: .seconds(10)))
            #expect(await gate.events(atLeast: 2).last == "close - -")
        }
    }

    @Test func answeredPingsKeepTheConnection() async throws {
        let gate = Gate()
        // Generous: on a loaded machine the client's pong must still arrive in time.
        let settings = Settings(websocketPingInterval: .seconds(5), websocketPingTimeout: .seconds(5))
        try await makeApp(gate, settings: settings).test(.live) { client in
            let port = try #require(client.port)
            let socket = try await websocketConnect("ws://127.0.0.1:\(port)/ws")
            try await Task.sleep(for: .milliseconds(5500))  // a ping, answered by WSClient
            try await socket.writeMessage("alive")
            #expect(await socket.readMessage() == .text("alive"))
        }
    }

    @Test func shutdownClosesSocketsWithGoingAway() async throws {
        let gate = Gate()
        let server = HTTPServer(try makeApp(gate))
        try await server.bind(0, address: "127.0.0.1")
        try server.start()
        let port = try #require(server.ports.first)
        let socket = try await websocketConnect("ws://127.0.0.1:\(port)/ws")
        #expect(await gate.events(atLeast: 1) == ["open "])
        await server.shutdown()
        #expect(await socket.closed().code == 1001)
    }

    @Test func aClientLeavingCancelsAnUpgradedHandlersTask() async throws {
        let gate = Gate()
        let app = Application([try URLSpec("/gated", GatedSocket.self, gate)]).withLogLevel(.critical)
        try await app.test(.live) { client in
            let connection = try await client.connect()
            try await connection.send(
                "GET /gated HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            #expect(await gate.events(atLeast: 1) == ["waiting"])
            connection.close()
            #expect(await gate.events(atLeast: 2) == ["waiting", "cancelled"])
        }
    }

    @Test func synchronousModesRefuseWebSocketRoutes() throws {
        let refusals = SynchronousModeCheck().refusals(for: try makeApp(Gate()))
        #expect(refusals.map(\.description).first == #"/ws -> EchoSocket: needs WebSockets"#)
    }

    @Test func connectingToARefusingServerThrows() async throws {
        try await makeApp(Gate()).test(.live) { client in
            let port = try #require(client.port)
            await #expect(throws: WebSocketConnectError.self) {
                try await websocketConnect("ws://127.0.0.1:\(port)/", connectTimeout: .seconds(5))
            }
        }
    }
}
