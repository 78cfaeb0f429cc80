import Synchronization

/// What static files cost to serve, remembered per application: each served file's response
/// head and, for small files, its bytes (`Entry`), and the content versions `staticURL` puts in
/// URLs (Tornado's `StaticFileHandler._static_hashes`).
///
/// An entry is served only while the file is the one it was read from: each request makes one
/// `stat` (or, for a file whose bytes are not kept, one `open` and `fstat` on the descriptor it
/// then sends from) and compares device, inode, size and modification and change times to the
/// nanosecond. A file renamed over, rewritten, truncated or deleted is read again (or answered
/// 404) on the very next request. `inotify` would save the `stat` but not be sure: its events
/// arrive after the change, so a request between the two would get the old file, and it sees
/// nothing on network file systems.
///
/// An entry is kept only if the file's change time (`st_ctim`) is older than a reading of the
/// kernel's coarse clock taken before the file was read: a later write within the same clock
/// tick would otherwise leave every time as it was (git's "racily clean" files). Such a file is
/// served from what was just read and read again on its next request.
///
/// Small files keep their bytes rather than an open descriptor (nginx's `open_file_cache`):
/// a kept descriptor still needs the `stat` of the path to notice a file renamed over it, then
/// `sendfile` and a cork around it, while kept bytes leave with the head in one `writev` (read,
/// `stat`, `writev`: three system calls a request). And a descriptor shows a file rewritten in
/// place at once while its kept `Content-Length` and `Etag` do not; kept bytes and their head
/// are one snapshot. Larger files are opened for each request: beside their transfer, the
/// `open` and `close` cost little.
///
/// The hashes for `staticURL` are kept until `removeAll()` or a restart, as Tornado keeps
/// them with `static_hash_cache`: a URL's version changes on restart, the served `Etag` at once.
public final class StaticFileCache: Sendable {
    /// A file ready to serve: what its response head needs, and its bytes if it is small.
    public final class Entry: Sendable {
        /// The file's canonical path.
        public let path: String
        /// The canonical root it was found inside.
        public let root: String
        /// The file as it was read; served only while the file still has this identity.
        public let status: FileSystem.Status
        /// The `Etag` value: the content version, quoted.
        public let etag: String
        /// The `Last-Modified` value.
        public let lastModified: String
        /// `MIMETypes.contentType(forPath:)` of `path`.
        public let contentType: String
        /// The whole content, for a file up to `Settings.staticFileCacheMaxFileSize` bytes.
        public let contents: [UInt8]?
        /// The `.br` and `.gz` siblings inside the root when the file was read, by coding
        /// (`br`, `gzip`), each by its canonical path.
        public let siblings: [(encoding: String, path: String)]

        /// Creates an entry.
        public init(
            path: String, root: String, status: FileSystem.Status, etag: String, contentType: String,
            contents: [UInt8]?, siblings: [(encoding: String, path: String)]
        ) {
            self.path = path
            self.root = root
            self.status = status
            self.etag = etag
            self.lastModified = HTTPDate.format(secondsSince1970: status.modified)
            self.contentType = contentType
            self.contents = contents
            self.siblings = siblings
        }
    }

    private struct State {
        var files: [String: Entry] = [:]
        var contentBytes = 0
        var hashes: [String: String] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty cache.
    public init() {}

    /// The number of files kept.
    public var count: Int { state.withLock { $0.files.count } }

    /// The bytes of file content kept, all entries together.
    public var contentBytes: Int { state.withLock { $0.contentBytes } }

    /// The entry kept for `key` (a path as requested), whatever the file is now.
    public func entry(for key: String) -> Entry? {
        state.withLock { $0.files[key] }
    }

    /// Keeps `entry` for `key`, making room by dropping other entries past `limit` (the ones
    /// first in the table's hash order: in effect, random ones). Nothing is kept when `limit`
    /// is 0.
    public func keep(_ entry: Entry, for key: String, limit: Int) {
        guard limit > 0 else { return }
        state.withLock { state in
            if let old = state.files.updateValue(entry, forKey: key) {
                state.contentBytes -= old.contents?.count ?? 0
            }
            state.contentBytes += entry.contents?.count ?? 0
            while state.files.count > limit, let victim = state.files.first(where: { $0.key != key }) {
                state.files.removeValue(forKey: victim.key)
                state.contentBytes -= victim.value.contents?.count ?? 0
            }
        }
    }

    /// Drops the entry for `key` if it is still `entry` (another request may have replaced it).
    public func forget(_ entry: Entry, for key: String) {
        state.withLock { state in
            guard state.files[key] === entry else { return }
            state.files.removeValue(forKey: key)
            state.contentBytes -= entry.contents?.count ?? 0
        }
    }

    /// The cached hash for `path`, computing it with `compute` the first time. A failure is
    /// not cached, so a file that appears later is picked up. For `staticURL`'s versions.
    public func hash(for path: String, compute: (String) throws -> String) rethrows -> String {
        if let known = state.withLock({ $0.hashes[path] }) { return known }
        let computed = try compute(path)
        state.withLock { $0.hashes[path] = computed }
        return computed
    }

    /// Forgets everything, files and hashes (Tornado: `StaticFileHandler.reset()`).
    public func removeAll() {
        state.withLock { $0 = State() }
    }
}
