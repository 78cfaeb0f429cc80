import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension StaticFileHandler {
    /// A file ready to send: its entry, and the descriptor its body goes out from when the
    /// entry does not hold its bytes.
    struct ReadyFile {
        let entry: StaticFileCache.Entry
        let file: OpenFile?

        /// The body's length: the bytes held, or the size the descriptor was checked at.
        var size: Int { entry.contents?.count ?? entry.status.size }

        /// The slice `range` of the body.
        func body(_ range: ClosedRange<Int>) -> FileBody {
            if let contents = entry.contents {
                return FileBody(path: entry.path, contents: contents, offset: range.lowerBound, length: range.count)
            }
            if let file { return FileBody(file: file, offset: range.lowerBound, length: range.count) }
            return FileBody(path: entry.path, offset: range.lowerBound, length: range.count)
        }
    }

    /// Whether files are kept between requests: `staticHashCache` on (off in debug mode, where
    /// every request reads its file again, as Tornado's) and a non-zero `staticFileCacheEntries`.
    var cachesFiles: Bool {
        let settings = application.settings
        return settings.effectiveStaticHashCache && settings.staticFileCacheEntries > 0
    }

    /// The kept file for the requested path `key`, if it is current; remembered for this
    /// request, so `runsOnThreadPool` and serving check it once.
    @discardableResult
    func prepare(_ key: String) -> ReadyFile? {
        if let prepared, prepared.key == key { return prepared.file }
        let file = currentFile(key)
        prepared = (key, file)
        return file
    }

    /// `prepare` for the precompressed sibling at `key` (its canonical path).
    @discardableResult
    func prepareSibling(_ key: String) -> ReadyFile? {
        if let preparedSibling, preparedSibling.key == key { return preparedSibling.file }
        let file = currentFile(key)
        preparedSibling = (key, file)
        return file
    }

    /// The entry kept for `key`, if the file there is still the one it was read from: one
    /// `stat` when the entry holds the bytes; else an `open` and an `fstat` of the descriptor
    /// the body will go out from, so that a file renamed over the path after the check cannot
    /// slip in. A stale entry is dropped.
    func currentFile(_ key: String) -> ReadyFile? {
        let cache = application.staticFiles
        guard let entry = cache.entry(for: key) else { return nil }
        if entry.contents != nil {
            if FileSystem.status(key) == entry.status { return ReadyFile(entry: entry, file: nil) }
        } else if let file = try? OpenFile(path: key), file.status() == entry.status {
            return ReadyFile(entry: entry, file: file)
        }
        cache.forget(entry, for: key)
        return nil
    }

    /// The file at `path` (canonical, inside the root) ready to send: the one prepared for
    /// `key` if it is that file, else the one kept under `path` itself (a directory's default
    /// file, a path spelled with `.` or `..`), else read now.
    func readyFile(_ path: String, key: String) throws -> ReadyFile {
        if let prepared, prepared.key == key, let file = prepared.file, file.entry.path == path { return file }
        if let preparedSibling, preparedSibling.key == key, let file = preparedSibling.file, file.entry.path == path {
            return file
        }
        if cachesFiles, key != path, let kept = currentFile(path) { return kept }
        return try loadFile(path, key: key)
    }

    /// Reads the file at `path`: its identity, its bytes when it is small enough to keep, its
    /// content version, its precompressed siblings. A file that changes while being read is
    /// read again (three tries); the last try is served, never kept.
    ///
    /// It is kept under `key` when `key` is a plain spelling (no `.`, `..` or empty segment)
    /// that names this very file, else under `path`: so one file has at most two keys, and a
    /// stream of odd spellings cannot churn the cache. And only when the file's change time is
    /// before the clock reading taken before it was read (`StaticFileCache`).
    func loadFile(_ path: String, key: String) throws -> ReadyFile {
        let settings = application.settings
        var tries = 0
        while true {
            tries += 1
            let started = FileSystem.coarseClockNanoseconds()
            let file: OpenFile
            do {
                file = try OpenFile(path: path)
            } catch {
                throw error.code == ENOENT || error.code == ENOTDIR
                    ? HTTPError(404) : HTTPError(403, logMessage: "cannot open \(path): \(error)")
            }
            guard let before = file.status() else { throw HTTPError(404) }
            guard before.isRegularFile else { throw HTTPError(403, logMessage: "\(path) is not a file") }
            var contents: [UInt8]?
            if before.size <= settings.staticFileCacheMaxFileSize {
                contents = try Self.readOrRefuse { () throws(FileSystem.Error) in
                    try file.read(offset: 0, length: before.size + 1)
                }
            }
            let version = try contentVersion(of: file, contents: contents)
            var unchanged = file.status() == before && (contents?.count ?? before.size) == before.size
            if unchanged && !hashesItsOwnContent {
                unchanged = FileSystem.status(path) == before  // the version was read by path
            }
            if !unchanged && tries < 3 { continue }
            let etag = "\"\(version)\""
            try Self.checkHeaderValue(etag, for: "Etag")  // a subclass's version may be anything
            let entry = StaticFileCache.Entry(
                path: path, root: root, status: before, etag: etag, contentType: MIMETypes.contentType(forPath: path),
                contents: contents, siblings: siblings(of: path))
            if unchanged, cachesFiles, before.changedNanoseconds < started {
                let underKey =
                    key == path
                    || (Self.isPlainSpelling(key, under: configuredRoot) && FileSystem.status(key) == before)
                application.staticFiles.keep(entry, for: underKey ? key : path, limit: settings.staticFileCacheEntries)
            }
            return ReadyFile(entry: entry, file: contents == nil ? file : nil)
        }
    }

    /// Whether the content version is the SHA-512 of the content, which the handler computes
    /// from the bytes or descriptor it sends (`getContentVersion` not overridden).
    var hashesItsOwnContent: Bool {
        ObjectIdentifier(type(of: self)) == ObjectIdentifier(StaticFileHandler.self)
    }

    /// The content version: the SHA-512 of the bytes read or of the open file, or the
    /// subclass's `getContentVersion`.
    private func contentVersion(of file: OpenFile, contents: [UInt8]?) throws -> String {
        guard hashesItsOwnContent else { return try type(of: self).getContentVersion(absolutePath: file.path) }
        if let contents {
            return SHA512.hash(data: contents).withUnsafeBytes { Hex.encode($0) }
        }
        return try Self.readOrRefuse { () throws(FileSystem.Error) in try file.sha512Hex() }
    }

    /// The `.br` and `.gz` siblings of `path` that are regular files inside the root.
    private func siblings(of path: String) -> [(encoding: String, path: String)] {
        var found: [(encoding: String, path: String)] = []
        for (encoding, suffix) in [("br", ".br"), ("gzip", ".gz")] {
            guard FileSystem.status(path + suffix)?.isRegularFile == true,
                let resolved = FileSystem.realPath(path + suffix), resolved.hasPrefix(root + "/")
            else { continue }
            found.append((encoding, resolved))
        }
        return found
    }

    /// Whether `key` is `root/` and a relative path with no empty, `.` or `..` segment.
    static func isPlainSpelling(_ key: String, under root: String) -> Bool {
        guard key.utf8.starts(with: root.utf8), key.utf8.dropFirst(root.utf8.count).first == UInt8(ascii: "/") else {
            return false
        }
        let relative = key.utf8.dropFirst(root.utf8.count + 1)
        for segment in relative.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if segment.isEmpty || segment.elementsEqual(".".utf8) || segment.elementsEqual("..".utf8) { return false }
        }
        return true
    }

    /// Runs a read, turning a failure into a 500 that names the file in the log.
    private static func readOrRefuse<Value>(_ read: () throws(FileSystem.Error) -> Value) throws -> Value {
        do {
            return try read()
        } catch {
            throw HTTPError(500, logMessage: "\(error)")
        }
    }
}
