import Synchronization

/// Numbers the variable names templates use, so a render keeps its variables in an array
/// indexed by slot instead of hashing names on every lookup. A loader's templates share one
/// table (they share one scope in a render: `extends`, `include`); a template made on its own
/// has its own.
final class SymbolTable: Sendable {
    private let slots = Mutex<[String: Int]>([TemplateNamespace.modulesKey: 0])

    /// The slot of `{% module %}`'s UI modules dictionary.
    static let modulesSlot = 0

    /// The slot for `name`, numbered now if it is new (while a template is parsed).
    func slot(for name: String) -> Int {
        slots.withLock { slots in
            if let slot = slots[name] { return slot }
            let slot = slots.count
            slots[name] = slot
            return slot
        }
    }

    /// Every numbered name with its slot, and how many slots there are.
    func snapshot() -> [String: Int] {
        slots.withLock { $0 }
    }
}
