// gale-ws-echo --port P: Gale's side of Benchmarks/websocket.sh, on 127.0.0.1.
//
//   GET /       200 "ok" (the script waits for it before measuring)
//   WS  /echo   sends every message back as it came: text as text, binary as binary
//   WS  /idle   joins a room on open and leaves it on close; the text message "broadcast" sends
//               `broadcastMessage` (32 bytes) to every member with `WebSocketConnection.send`,
//               which queues without waiting, as Tornado's chat demo loops over its waiters
//
// Compression is off (Gale's default, as Tornado's), and so are pings. The access log is off
// (level warning), so opening 10,000 sockets writes no 10,000 log lines.
import Gale
import GaleServer
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The 32-byte message of the broadcast test; ws-load checks each copy against the same text.
let broadcastMessage = "gale-broadcast-0123456789abcdefg"

/// Echoes each message with `writeMessage`, which returns once the frame was taken.
final class EchoHandler: WebSocketHandler {
    override func onMessage(_ message: WebSocketMessage) async throws {
        switch message {
        case .text(let text): try await writeMessage(text)
        case .binary(let bytes): try await writeMessage(bytes)
        }
    }
}

/// The open `/idle` sockets.
final class Room: Sendable {
    private let members = Mutex<Set<WebSocketConnection>>([])

    func join(_ connection: WebSocketConnection) { members.withLock { _ = $0.insert(connection) } }
    func leave(_ connection: WebSocketConnection) { members.withLock { _ = $0.remove(connection) } }

    /// Queues `text` on every member; returns how many there were.
    func broadcast(_ text: String) -> Int {
        let everyone = members.withLock { $0 }
        let message = WebSocketMessage.text(text)
        for member in everyone { member.send(message) }
        return everyone.count
    }
}

let room = Room()

/// A member of `room`, for the idle connections and their broadcast.
final class IdleHandler: WebSocketHandler {
    override func open() async throws {
        if let connection { room.join(connection) }
    }

    override func onClose() {
        if let connection { room.leave(connection) }
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        guard message.text == "broadcast" else { return }
        _ = room.broadcast(broadcastMessage)
    }
}

final class ReadyHandler: RequestHandler {
    override func get() throws {
        try write("ok")
    }
}

func parsePort(_ arguments: [String]) -> Int {
    guard arguments.count == 3, arguments[1] == "--port", let port = Int(arguments[2]), (1...65535).contains(port)
    else {
        print("usage: gale-ws-echo --port P")
        exit(2)
    }
    return port
}

let port = parsePort(CommandLine.arguments)
var app = try Application([("/", ReadyHandler.self), ("/echo", EchoHandler.self), ("/idle", IdleHandler.self)])
app.logger.logLevel = .warning
app.accessLogger.logLevel = .warning
try await app.run(port: port, address: "127.0.0.1")
