import Gale
import GaleServer
import GaleTesting
import Logging
import Synchronization
import Testing

/// The members of a broadcast, as a chat room keeps them.
final class BroadcastRoom: Sendable {
    let members = Mutex<[WebSocketConnection]>([])

    var count: Int { members.withLock { $0.count } }

    /// Sends `message` to every member without waiting, as `Examples/Chat` does.
    func broadcast(_ message: WebSocketMessage) {
        for member in members.withLock({ $0 }) { member.send(message) }
    }
}

/// Joins its room on open, leaves on close.
final class RoomSocket: WebSocketHandler, InitializableHandler {
    var room: BroadcastRoom?

    func initialize(_ arguments: BroadcastRoom) { room = arguments }

    override func open() async throws {
        guard let connection else { return }
        room?.members.withLock { $0.append(connection) }
    }

    override func onClose() {
        guard let connection else { return }
        room?.members.withLock { $0.removeAll { $0 == connection } }
    }
}

@Suite struct SlowReaderTests {
    @Test func aWebSocketThatDoesNotReadIsDroppedAndOthersKeepReceiving() async throws {
        let room = BroadcastRoom()
        let app = Application([try URLSpec("/room", RoomSocket.self, room)]).withLogLevel(.critical)
        let configuration = HTTPServer.Configuration(maxWebSocketQueuedBytes: 1024 * 1024)
        try await app.test(.live, configuration: configuration) { client async throws in
            let port = try #require(client.port)
            // Sends its handshake and never reads (`SlowSocket`: a 4 KiB receive buffer).
            let stalled = try SlowSocket(port: port)
            defer { stalled.close() }
            try stalled.send(
                "GET /room HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            let (reader, status, _) = try await RawWebSocket.open(port: port, path: "/room")
            #expect(status == 101)
            let deadline = ContinuousClock.now + .seconds(20)
            while room.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(room.count == 2)

            // 8 MiB to each, in messages under NIO's 64 KiB write buffer: more than the stalled
            // client's socket buffers and the 1 MiB limit.
            let message = WebSocketMessage.binary([UInt8](repeating: 7, count: 8 * 1024))
            let count = 1024
            let sender = Task {
                for _ in 0..<count {
                    room.broadcast(message)
                    try? await Task.sleep(for: .milliseconds(1))
                }
            }
            var received = 0
            while received < count {
                let (opcode, payload) = try await reader.readFrame()
                #expect(opcode == 0x2 && payload.count == 8 * 1024)
                received += 1
            }
            await sender.value
            #expect(received == count)
            // The stalled client was dropped: it left the room.
            let dropDeadline = ContinuousClock.now + .seconds(20)
            while room.count > 1, ContinuousClock.now < dropDeadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(room.count == 1)
        }
    }
}
