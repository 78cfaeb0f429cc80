// hb-ws-echo --port P: Hummingbird 2's side of Benchmarks/websocket.sh, on 127.0.0.1; the same
// routes as gale-ws-echo, written as HummingbirdWebSocket's README and its Autobahn echo snippet
// write them.
//
//   GET /       200 "ok"
//   WS  /echo   sends every message back as it came: text as text, binary as binary
//   WS  /idle   joins a room; the text message "broadcast" sends the same 32 bytes as Gale's to
//               every member. A member's writer is only usable inside its own handler, so each
//               member reads its room messages from an AsyncStream and writes them out itself
//               (the pattern of hummingbird-examples' websocket-chat)
//
// Compression off (no extensions), automatic pings off, and `maxFrameSize` 1 MiB, as
// Hummingbird's default of 16 KiB would refuse a 16 KiB message once framing is counted. The
// logger is at warning, as Gale's.
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let broadcastMessage = "gale-broadcast-0123456789abcdefg"
let maxFrameSize = 1 << 20

/// The open `/idle` sockets, each as the continuation of its own stream of room messages.
final class Room: Sendable {
    private let members = Mutex<[Int: AsyncStream<String>.Continuation]>([:])
    private let lastID = Atomic<Int>(0)

    func join() -> (id: Int, messages: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let id = lastID.wrappingAdd(1, ordering: .relaxed).newValue
        members.withLock { $0[id] = continuation }
        return (id, stream)
    }

    func leave(_ id: Int) {
        members.withLock { $0.removeValue(forKey: id) }?.finish()
    }

    func broadcast(_ text: String) {
        let everyone = members.withLock { Array($0.values) }
        for member in everyone { member.yield(text) }
    }
}

func parsePort(_ arguments: [String]) -> Int {
    guard arguments.count == 3, arguments[1] == "--port", let port = Int(arguments[2]), (1...65535).contains(port)
    else {
        print("usage: hb-ws-echo --port P")
        exit(2)
    }
    return port
}

let port = parsePort(CommandLine.arguments)
let room = Room()
var logger = Logger(label: "hb-ws-echo")
logger.logLevel = .warning

let router = Router()
router.get("/") { _, _ in "ok" }

let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
webSocketRouter.ws("/echo") { inbound, outbound, _ in
    for try await message in inbound.messages(maxSize: maxFrameSize) {
        switch message {
        case .text(let text): try await outbound.write(.text(text))
        case .binary(let buffer): try await outbound.write(.binary(buffer))
        }
    }
}
webSocketRouter.ws("/idle") { inbound, outbound, _ in
    let (id, messages) = room.join()
    defer { room.leave(id) }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for await text in messages { try await outbound.write(.text(text)) }
        }
        for try await message in inbound.messages(maxSize: maxFrameSize) {
            if case .text("broadcast") = message { room.broadcast(broadcastMessage) }
        }
        room.leave(id)
        try await group.waitForAll()
    }
}

let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(
        webSocketRouter: webSocketRouter,
        configuration: .init(ws: .init(maxFrameSize: maxFrameSize, autoPing: .disabled))
    ),
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    logger: logger
)
try await app.runService()
