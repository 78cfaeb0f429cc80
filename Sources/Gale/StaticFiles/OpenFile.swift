import Crypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file opened for reading, closed when the last reference to it goes.
///
/// `StaticFileHandler` checks a file's identity (`FileSystem.Status`) on the descriptor it then
/// sends from, so the `Content-Length` and `Etag` it announced describe the very file that goes
/// out even if another file is renamed over the path meanwhile. A `FileBody` holding one keeps
/// it open until the transport has sent it. Reads use `pread`, so one descriptor may serve
/// several responses at once.
public final class OpenFile: Sendable {
    /// The descriptor; valid while this object lives.
    public let descriptor: Int32
    /// The path it was opened by (for messages; the file may since have been renamed).
    public let path: String

    /// Opens `path` read-only. Throws `FileSystem.Error` (`ENOENT`, `EACCES` ...).
    public init(path: String) throws(FileSystem.Error) {
        descriptor = try FileSystem.openForReading(path)
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// What `fstat` says about the open file now; `nil` if it fails.
    public func status() -> FileSystem.Status? {
        FileSystem.status(descriptor: descriptor)
    }

    /// Calls `body` with successive blocks of up to 64 KiB of `offset..<offset+length` (fewer
    /// at the end of the file).
    public func forEachBlock(
        offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) -> Void
    ) throws(FileSystem.Error) {
        try FileSystem.forEachBlock(descriptor: descriptor, path: path, offset: offset, length: length, body)
    }

    /// Reads `length` bytes from `offset` (fewer at the end of the file).
    public func read(offset: Int, length: Int) throws(FileSystem.Error) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(length, 1 << 20))
        try forEachBlock(offset: offset, length: length) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The hex SHA-512 of the whole file as it reads now.
    public func sha512Hex() throws(FileSystem.Error) -> String {
        var hasher = SHA512()
        try forEachBlock(offset: 0, length: Int.max) { hasher.update(bufferPointer: $0) }
        return hasher.finalize().withUnsafeBytes { Hex.encode($0) }
    }
}
