import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system calls static files need, straight on POSIX: each retries on EINTR and
/// turns `errno` into a typed error at once.
public enum FileSystem {
    /// What `stat` says about a file, and what tells one version of it from the next: equal
    /// values mean the same file (device and inode: a file renamed over it is another inode)
    /// with the same size and the same modification and change times to the nanosecond.
    public struct Status: Sendable, Equatable {
        /// Size in bytes.
        public var size: Int
        /// Last modification, whole seconds since 1970.
        public var modified: Int
        /// Whether it is a directory.
        public var isDirectory: Bool
        /// Whether it is a regular file.
        public var isRegularFile: Bool
        /// `st_dev`.
        public var device: UInt64
        /// `st_ino`.
        public var inode: UInt64
        /// Last modification of the content (`st_mtim`), nanoseconds since 1970.
        public var modifiedNanoseconds: Int
        /// Last change of the content or the inode (`st_ctim`: every write, truncate, rename,
        /// link and `chmod` moves it, and no program can set it back), nanoseconds since 1970.
        public var changedNanoseconds: Int

        init(_ info: stat) {
            let type = info.st_mode & S_IFMT
            size = Int(info.st_size)
            modified = Int(info.st_mtim.tv_sec)
            isDirectory = type == S_IFDIR
            isRegularFile = type == S_IFREG
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            modifiedNanoseconds = Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec)
            changedNanoseconds = Int(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int(info.st_ctim.tv_nsec)
        }
    }

    /// A failed system call.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        /// The call, e.g. `open`.
        public var call: String
        /// The path it was made on.
        public var path: String
        /// `errno`.
        public var code: Int32
        public var description: String { "\(call)(\(path)): \(String(cString: strerror(code)))" }
    }

    /// `stat(2)` following symlinks; `nil` when the path does not exist or cannot be read.
    public static func status(_ path: String) -> Status? {
        var info = stat()
        // `withCString` hands a native string's own bytes over; passing `path` itself would
        // copy it into a new array first (`utf8CString`).
        guard path.withCString({ stat($0, &info) }) == 0 else { return nil }
        return Status(info)
    }

    /// `fstat(2)` of an open descriptor; `nil` if it fails.
    public static func status(descriptor: Int32) -> Status? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return Status(info)
    }

    /// The clock the kernel stamps file times with (`CLOCK_REALTIME_COARSE`), in nanoseconds
    /// since 1970. A file whose change time is before a reading of it taken before the file was
    /// read cannot change again without its change time moving on (`StaticFileCache`).
    public static func coarseClockNanoseconds() -> Int {
        var now = timespec()
        #if os(Linux)
            clock_gettime(CLOCK_REALTIME_COARSE, &now)
        #else
            clock_gettime(CLOCK_REALTIME, &now)
        #endif
        return Int(now.tv_sec) &* 1_000_000_000 &+ Int(now.tv_nsec)
    }

    /// The canonical absolute path, with every symlink and `..` resolved (`realpath(3)`);
    /// `nil` when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The hex SHA-512 of a file's bytes, read in 64 KiB blocks (memory stays flat).
    public static func sha512Hex(_ path: String) throws(Error) -> String {
        var hasher = SHA512()
        try forEachBlock(path, offset: 0, length: Int.max) { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Hex.encode($0) }
    }

    /// Reads `length` bytes from `offset` (fewer at the end of the file).
    public static func read(_ path: String, offset: Int, length: Int) throws(Error) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(length, 1 << 20))
        try forEachBlock(path, offset: offset, length: length) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Calls `body` with successive blocks of up to 64 KiB of the file's `offset..<offset+length`.
    public static func forEachBlock(
        _ path: String, offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(Error) {
        let descriptor = try openForReading(path)
        defer { close(descriptor) }
        try forEachBlock(descriptor: descriptor, path: path, offset: offset, length: length, body)
    }

    /// Opens `path` read-only (`O_CLOEXEC`), retrying on EINTR.
    static func openForReading(_ path: String) throws(Error) -> Int32 {
        try retrying("open", path) { path.withCString { open($0, O_RDONLY | O_CLOEXEC) } }
    }

    /// `forEachBlock` on an open descriptor (`pread`, so several readers can share it); `path`
    /// names it in errors.
    static func forEachBlock(
        descriptor: Int32, path: String, offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(Error) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var position = offset
        var remaining = length
        while remaining > 0 {
            let want = min(remaining, buffer.count)
            let count = try retrying("pread", path) {
                buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, want, off_t(position)) }
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            position += count
            remaining -= count
        }
    }

    private static func retrying<Result: BinaryInteger>(
        _ call: String, _ path: String, _ operation: () -> Result
    ) throws(Error) -> Result {
        while true {
            let result = operation()
            if result >= 0 { return result }
            if errno != EINTR { throw Error(call: call, path: path, code: errno) }
        }
    }
}
