/// A slice of a file to send as part of a response body.
///
/// The core never reads a file it serves: it names the slice, and the transport decides how
/// to send it (sendfile on the NIO server, chunked reads under FastCGI), so a 1 GiB download
/// never sits in memory.
public struct FileBody: Sendable, Equatable {
    /// The file's absolute path.
    public var path: String
    /// The first byte to send.
    public var offset: Int
    /// How many bytes to send.
    public var length: Int

    /// Names `length` bytes of `path` from `offset`.
    public init(path: String, offset: Int, length: Int) {
        self.path = path
        self.offset = offset
        self.length = length
    }
}
