import Gale
import GaleTesting
import Synchronization

/// Echoes every message; "close" closes with 4000, "ping" pings, "boom" throws, "wait" waits
/// at the gate and then answers "passed". Notes what happened to it in its route's `Gate`.
final class EchoSocket: WebSocketHandler, InitializableHandler {
    var gate: Gate?

    func initialize(_ arguments: Gate) { gate = arguments }

    override func selectSubprotocol(_ subprotocols: [String]) -> String? {
        subprotocols.contains("echo") ? "echo" : nil
    }

    override func open() async throws { gate?.record("open \(pathArgs.joined(separator: ","))") }

    override func onMessage(_ message: WebSocketMessage) async throws {
        switch message.text {
        case "close": await close(code: 4000, reason: "asked to")
        case "ping": try await ping([1, 2, 3])
        case "boom": throw HTTPError(500, reason: "boom")
        case "closed elsewhere": throw WebSocketClosedError()  // as a write to another socket would
        case "wait":
            do {
                try await gate?.pass()
            } catch {
                gate?.record(Task.isCancelled ? "message cancelled" : "error")
                throw error
            }
            try await writeMessage("passed")
        default:
            switch message {
            case .text(let text): try await writeMessage(text)
            case .binary(let bytes): try await writeMessage(bytes)
            }
        }
    }

    override func onPong(_ data: [UInt8]) { gate?.record("pong \(data)") }

    override func onClose() { gate?.record("close \(closeCode.map(String.init) ?? "-") \(closeReason ?? "-")") }

    override func getCompressionOptions() -> WebSocketCompressionOptions? { WebSocketCompressionOptions() }
}

/// Echoes with compression on, and notes when it is freed.
final class CountedSocket: WebSocketHandler, InitializableHandler {
    var gate: Gate?

    func initialize(_ arguments: Gate) { gate = arguments }

    override func getCompressionOptions() -> WebSocketCompressionOptions? { WebSocketCompressionOptions() }

    override func onMessage(_ message: WebSocketMessage) async throws {
        try await writeMessage(message.text ?? "")
    }

    deinit { gate?.record("deinit") }
}

/// A WebSocket driven byte by byte, for what a well-behaved client never sends.
struct RawWebSocket {
    let connection: RawConnection

    /// Opens a connection and sends a handshake for `path` with `headers` (a valid key and
    /// version unless given); returns the response's status line and headers.
    static func open(
        port: Int, path: String = "/ws", headers: [String: String] = [:]
    ) async throws -> (RawWebSocket, status: Int, head: String) {
        let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
        var fields = [
            "Host": "127.0.0.1:\(port)", "Upgrade": "websocket", "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
        ]
        fields.merge(headers) { $1 }
        var text = "GET \(path) HTTP/1.1\r\n"
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            text += "\(name): \(value)\r\n"
        }
        try await connection.send(text + "\r\n")
        let socket = RawWebSocket(connection: connection)
        let (status, head) = try await socket.readHead()
        return (socket, status, head)
    }

    func readHead() async throws -> (Int, String) {
        try await connection.read(what: "response head") { bytes in
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
            bytes.removeFirst(end.upperBound)
            return (Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0, head)
        }
    }

    /// Sends one frame, masked as a client must unless `masked` is false.
    func send(opcode: UInt8, _ payload: [UInt8], masked: Bool = true, fin: Bool = true, rsv1: Bool = false)
        async throws
    {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            frame.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(maskBit | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        if masked {
            let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
            frame += key
            frame += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        } else {
            frame += payload
        }
        try await connection.send(frame)
    }

    /// The next frame from the server: opcode and payload (servers never mask).
    func readFrame() async throws -> (opcode: UInt8, payload: [UInt8]) {
        try await connection.read(what: "frame") { bytes -> (UInt8, [UInt8])? in
            guard bytes.count >= 2 else { return nil }
            var length = Int(bytes[1] & 0x7F)
            var offset = 2
            if length == 126 {
                guard bytes.count >= 4 else { return nil }
                length = Int(bytes[2]) << 8 | Int(bytes[3])
                offset = 4
            } else if length == 127 {
                guard bytes.count >= 10 else { return nil }
                length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
                offset = 10
            }
            guard bytes.count >= offset + length else { return nil }
            let frame = (bytes[0] & 0x0F, Array(bytes[offset..<(offset + length)]))
            bytes.removeFirst(offset + length)
            return frame
        }
    }

    /// The code of the close frame the server sends next (skipping other frames).
    func readCloseCode() async throws -> Int {
        while true {
            let (opcode, payload) = try await readFrame()
            if opcode == 0x8 { return payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005 }
        }
    }
}

/// Waits at its gate in `open()`, to show the connection still owns the task after the upgrade.
final class GatedSocket: WebSocketHandler, InitializableHandler {
    var gate: Gate?

    func initialize(_ arguments: Gate) { gate = arguments }

    override func open() async throws {
        do {
            try await gate?.pass()
        } catch {
            gate?.record(Task.isCancelled ? "cancelled" : "error")
            throw error
        }
    }
}
