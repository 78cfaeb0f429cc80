import Synchronization

/// Content hashes of static files by absolute path, computed once each.
///
/// Tornado: `StaticFileHandler._static_hashes` (a class-level dictionary there; here one per
/// application, so two applications in one process never share stale entries).
public final class StaticHashCache: Sendable {
    private let hashes = Mutex<[String: String]>([:])

    /// Creates an empty cache.
    public init() {}

    /// The cached hash for `path`, computing it with `compute` the first time. A failure is
    /// not cached, so a file that appears later is picked up.
    public func hash(for path: String, compute: (String) throws -> String) rethrows -> String {
        if let known = hashes.withLock({ $0[path] }) { return known }
        let computed = try compute(path)
        hashes.withLock { $0[path] = computed }
        return computed
    }

    /// Forgets every hash (for example after a deploy that replaced files in place).
    public func removeAll() {
        hashes.withLock { $0.removeAll() }
    }
}
