import Synchronization

/// What static files cost to look up, remembered per application: content hashes (Tornado's
/// `StaticFileHandler._static_hashes`) and resolved paths.
///
/// Resolving a path with every symlink (`realpath`) costs a system call per path segment, and
/// a small file is served in fewer calls than that; with `staticHashCache` on (the default
/// outside debug) each path is resolved once. Only paths that exist are remembered, so a
/// stream of requests for missing files cannot grow the cache; a file replaced in place keeps
/// its entry, as its hash does, until `removeAll()` or a restart.
public final class StaticFileCache: Sendable {
    private struct Entries {
        var hashes: [String: String] = [:]
        var resolved: [String: String?] = [:]
    }

    private let entries = Mutex(Entries())

    /// Creates an empty cache.
    public init() {}

    /// The cached hash for `path`, computing it with `compute` the first time. A failure is
    /// not cached, so a file that appears later is picked up.
    public func hash(for path: String, compute: (String) throws -> String) rethrows -> String {
        if let known = entries.withLock({ $0.hashes[path] }) { return known }
        let computed = try compute(path)
        entries.withLock { $0.hashes[path] = computed }
        return computed
    }

    /// The canonical path of `path` (`realpath`), remembered once found; `nil` when it does
    /// not exist. With `rememberMissing`, a path found missing stays missing (for the optional
    /// `.br`/`.gz` siblings of files that do exist, which are few).
    public func realPath(_ path: String, rememberMissing: Bool = false) -> String? {
        if let known = entries.withLock({ $0.resolved[path] }) { return known }
        let resolved = FileSystem.realPath(path)
        if resolved != nil || rememberMissing {
            entries.withLock { $0.resolved[path] = .some(resolved) }
        }
        return resolved
    }

    /// Whether serving `path` needs nothing the cache cannot answer: its canonical path and
    /// content hash are known, and so is whether it has `.br` or `.gz` siblings (and their
    /// hashes, if it has).
    public func isWarm(_ path: String) -> Bool {
        entries.withLock { entries in
            guard case .some(.some(let file)) = entries.resolved[path], entries.hashes[file] != nil else {
                return false
            }
            for suffix in [".br", ".gz"] {
                guard let sibling = entries.resolved[file + suffix] else { return false }
                if let sibling, entries.hashes[sibling] == nil { return false }
            }
            return true
        }
    }

    /// Forgets everything (for example after a deploy that replaced files in place).
    public func removeAll() {
        entries.withLock { $0 = Entries() }
    }
}
