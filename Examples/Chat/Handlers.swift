import Gale
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Handlers that share the chat room.
protocol RoomHandler: InitializableHandler where InitializeArguments == ChatRoom {
    /// Set by `initialize`, before anything else runs.
    var room: ChatRoom! { get }
}

extension RoomHandler {
    /// A new message from `body`, rendered with `message.html` for the inbox.
    func makeMessage(body: String) throws -> ChatRoom.Message {
        var message = ChatRoom.Message(id: UUID().uuidString.lowercased(), body: body, html: "")
        message.html = try renderString("message.html", ["message": message])
        return message
    }
}

/// The page: the inbox of recent messages and the form.
final class MainHandler: RequestHandler, RoomHandler {
    private(set) var room: ChatRoom!
    func initialize(_ arguments: ChatRoom) { room = arguments }

    override func get() throws {
        try render("index.html", ["messages": room.messages])
    }
}

/// The socket: JSON `{"body": ...}` in; every member gets `{"id", "body", "html"}`.
/// Tornado: `ChatSocketHandler`.
final class ChatSocketHandler: WebSocketHandler, RoomHandler {
    private(set) var room: ChatRoom!
    func initialize(_ arguments: ChatRoom) { room = arguments }

    /// Compression on, with zlib's defaults, as the demo's `return {}`.
    override func getCompressionOptions() -> WebSocketCompressionOptions? { WebSocketCompressionOptions() }

    override func open() async throws {
        if let connection { room.join(connection) }
    }

    override func onClose() {
        if let connection { room.leave(connection) }
    }

    override func onMessage(_ message: WebSocketMessage) async throws {
        struct Incoming: Decodable { var body: String }
        let incoming = try JSONDecoder().decode(Incoming.self, from: Data(message.bytes))
        application.logger.info("got message \(incoming.body.debugDescription)")
        try room.post(try makeMessage(body: incoming.body))
    }
}

/// The form's POST, for browsers without JavaScript: posts, then goes back to `next`, or
/// answers the message as JSON. Tornado's chat demo: `MessageNewHandler`.
final class MessageNewHandler: RequestHandler, RoomHandler {
    private(set) var room: ChatRoom!
    func initialize(_ arguments: ChatRoom) { room = arguments }

    override func post() throws {
        let message = try makeMessage(body: try getArgument("body"))
        try room.post(message)
        if let next = try getArgument("next", default: nil) {
            try redirect(localRedirectTarget(next))
        } else {
            try write(message)
        }
    }
}

/// The long poll: answers with the messages after `cursor` as soon as there are any. Tornado's
/// chat demo: `MessageUpdatesHandler`, whose `on_connection_close` cancels the wait.
final class MessageUpdatesHandler: AsyncRequestHandler, RoomHandler {
    private(set) var room: ChatRoom!
    private var poll = 0

    func initialize(_ arguments: ChatRoom) { room = arguments }

    override func post() async throws {
        poll = room.newPoll()
        let messages = await room.messages(after: try getArgument("cursor", default: nil), poll: poll)
        guard !finished, !Task.isCancelled else { return }
        try write(["messages": messages])
    }

    override func onConnectionClose() {
        room.cancelPoll(poll)
    }
}
