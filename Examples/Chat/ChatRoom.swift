import Gale
import Synchronization

/// The chat's state, shared by every handler: the last 200 messages (the demo's `cache`), the
/// open sockets (its `waiters`) and the long polls waiting for a message.
final class ChatRoom: Sendable {
    /// One chat message, as the page and the socket see it.
    struct Message: Codable, Sendable, Equatable {
        var id: String
        var body: String
        var html: String
    }

    private struct State {
        var cache: [Message] = []
        var sockets: Set<WebSocketConnection> = []
        var polls: [Int: CheckedContinuation<[Message], Never>] = [:]
        var lastPoll = 0
    }

    /// How many messages the room keeps. Tornado: `cache_size`.
    static let cacheSize = 200
    private let state = Mutex(State())

    /// The messages kept, oldest first.
    var messages: [Message] { state.withLock { $0.cache } }

    func join(_ socket: WebSocketConnection) {
        state.withLock { _ = $0.sockets.insert(socket) }
    }

    func leave(_ socket: WebSocketConnection) {
        state.withLock { _ = $0.sockets.remove(socket) }
    }

    /// Keeps `message` and sends it to every open socket and waiting poll. Tornado:
    /// `update_cache` then `send_updates`.
    func post(_ message: Message) throws {
        // Tornado's demo sends `write_message(chat)`: `json_encode`'s text, as `writeMessage(_:)` sends.
        let json = Escape.jsonEncode(try TemplateValue(encoding: message))
        let (sockets, polls) = state.withLock { state in
            state.cache.append(message)
            if state.cache.count > Self.cacheSize { state.cache.removeFirst(state.cache.count - Self.cacheSize) }
            defer { state.polls = [:] }
            return (state.sockets, state.polls)
        }
        // `send` queues without waiting: one slow reader holds up nobody.
        for socket in sockets { socket.send(.text(json)) }
        for poll in polls.values { poll.resume(returning: [message]) }
    }

    /// The messages after `cursor` (a message id), at once if there are any, else the next one
    /// posted; `[]` if `cancelPoll(id)` comes first. Tornado: `MessageBuffer.wait_for_messages`.
    func messages(after cursor: String?, poll id: Int) async -> [Message] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Message]? in
                let newer = Self.messages(in: state.cache, after: cursor)
                if !newer.isEmpty { return newer }
                state.polls[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// A number for a new long poll, to cancel it by.
    func newPoll() -> Int {
        state.withLock { state in
            state.lastPoll += 1
            return state.lastPoll
        }
    }

    /// Ends a waiting poll with no messages (its client went away).
    func cancelPoll(_ id: Int) {
        state.withLock { $0.polls.removeValue(forKey: id) }?.resume(returning: [])
    }

    /// How many sockets are open and polls are waiting, for tests and logs.
    var population: (sockets: Int, polls: Int) {
        state.withLock { ($0.sockets.count, $0.polls.count) }
    }

    private static func messages(in cache: [Message], after cursor: String?) -> [Message] {
        guard let cursor else { return [] }
        guard let index = cache.lastIndex(where: { $0.id == cursor }) else { return cache }
        return Array(cache[(index + 1)...])
    }
}
