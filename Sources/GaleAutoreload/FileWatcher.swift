import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Watches files and directory trees with Linux's inotify, and reports each changed path.
///
/// A file is watched through its directory, by name, so an editor or a linker that replaces
/// it (write a new file, rename it over the old) is seen as well as one that writes in place.
/// A directory is watched with everything below it, including directories made later. No
/// polling: the kernel wakes the watcher when something happens.
public final class FileWatcher: @unchecked Sendable {
    // @unchecked: `source` is set once in `init` and cancelled in `deinit`, and dispatch
    // sources are safe to use from any thread; the watch table is behind its mutex.
    /// One inotify watch: a directory, and the names in it that matter (`nil`: all of them,
    /// and its subdirectories too).
    private struct Watch {
        var directory: String
        var names: Set<String>?
    }

    private let descriptor: Int32
    private let queue = DispatchQueue(label: "gale.file-watcher")
    private let watches = Mutex<[Int32: Watch]>([:])
    private let source: any DispatchSourceRead

    /// What the kernel reports: contents written and closed, a file moved in or out,
    /// created, deleted, or its mode changed (a linker makes its output executable last).
    private static let events: UInt32 = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)

    /// Starts a watcher that calls `changed` (on a queue of its own) with the path of each
    /// file or directory that changed.
    public init(changed: @escaping @Sendable (String) -> Void) throws(AutoreloadError) {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw .watchFailed(path: "inotify", reason: String(cString: strerror(errno))) }
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        source.setEventHandler { [weak self] in
            guard let self else { return }
            for (watch, name, mask) in Self.readEvents(self.descriptor) {
                guard let entry = watches.withLock({ $0[watch] }) else { continue }
                if let names = entry.names, !names.contains(name) { continue }
                let path = name.isEmpty ? entry.directory : entry.directory + "/" + name
                // A directory made inside a watched tree is watched too.
                if entry.names == nil, mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    try? watchTree(path)
                }
                changed(path)
            }
        }
        source.setCancelHandler { [descriptor] in close(descriptor) }
        source.resume()
    }

    deinit {
        source.cancel()
    }

    /// Watches `path`: a file (through its directory, by name) or a directory tree. Changes
    /// are reported with the directory's absolute path, however `path` was written.
    public func watch(_ path: String) throws(AutoreloadError) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            try watchTree(Self.resolved(path))
            return
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        try add(Self.resolved(directory), names: [name])
    }

    /// `path` made absolute, links resolved (`realpath`); as given if it does not exist.
    private static func resolved(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Watches `directory` and every directory below it.
    private func watchTree(_ directory: String) throws(AutoreloadError) {
        try add(directory, names: nil)
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != "..", !name.hasPrefix(".") else { continue }
            if entry.pointee.d_type == UInt8(DT_DIR) { try watchTree(directory + "/" + name) }
        }
    }

    private func add(_ directory: String, names: Set<String>?) throws(AutoreloadError) {
        let watch = inotify_add_watch(descriptor, directory, Self.events)
        guard watch >= 0 else { throw .watchFailed(path: directory, reason: String(cString: strerror(errno))) }
        watches.withLock { watches in
            // The same directory asked for twice (a file in it, then the directory): the wider wins.
            if let existing = watches[watch] {
                let merged = existing.names.flatMap { old in names.map { old.union($0) } }
                watches[watch] = Watch(directory: existing.directory, names: merged)
            } else {
                watches[watch] = Watch(directory: directory, names: names)
            }
        }
    }

    /// Every event waiting on `descriptor`: the watch, the name inside its directory (empty
    /// for the directory itself) and the event mask.
    private static func readEvents(_ descriptor: Int32) -> [(Int32, String, UInt32)] {
        var events: [(Int32, String, UInt32)] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                let event = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self) }
                let nameStart = offset + header
                let nameEnd = min(count, nameStart + Int(event.len))
                let name = String(decoding: buffer[nameStart..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
                events.append((event.wd, name, event.mask))
                offset = nameEnd
            }
        }
        return events
    }
}
