import Synchronization

/// The list, shared by every request; kept in memory, so it starts empty on each run.
final class TodoList: Sendable {
    /// One thing to do.
    struct Item: Codable, Sendable, Equatable {
        var title: String
    }

    private let items = Mutex<[Item]>([])

    /// The items, oldest first.
    var all: [Item] { items.withLock { $0 } }

    func add(_ title: String) {
        items.withLock { $0.append(Item(title: title)) }
    }
}
