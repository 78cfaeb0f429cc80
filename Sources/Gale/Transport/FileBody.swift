/// A slice of a file to send as part of a response body.
///
/// The core never reads a file it serves: it names the slice, and the transport decides how
/// to send it (sendfile on the NIO server, chunked reads under FastCGI), so a 1 GiB download
/// never sits in memory. A slice can also carry the file already open (`file`), so the bytes
/// sent are those of the file the handler checked, or the file's bytes themselves (`contents`),
/// which `StaticFileHandler` keeps for small files; either way it stays a file body, which
/// `compressResponse` leaves as stored.
public struct FileBody: Sendable, Equatable {
    /// The file's absolute path.
    public var path: String
    /// The first byte to send.
    public var offset: Int
    /// How many bytes to send.
    public var length: Int
    /// The file, already open: sent from this descriptor rather than by opening `path`.
    public var file: OpenFile?
    /// The whole file's bytes, already read: the slice is sent from these, and nothing is opened.
    public var contents: [UInt8]?

    /// Names `length` bytes of `path` from `offset`.
    public init(path: String, offset: Int, length: Int) {
        self.path = path
        self.offset = offset
        self.length = length
    }

    /// Names `length` bytes from `offset` of a file that is open already.
    public init(file: OpenFile, offset: Int, length: Int) {
        self.init(path: file.path, offset: offset, length: length)
        self.file = file
    }

    /// Names `length` bytes from `offset` of `contents`, the whole content of the file at `path`.
    public init(path: String, contents: [UInt8], offset: Int, length: Int) {
        self.init(path: path, offset: offset, length: length)
        self.contents = contents
    }

    /// Calls `body` with the slice's bytes, in blocks of up to 64 KiB: from `contents`, from
    /// the open `file`, or read from `path`. A file that has shrunk gives fewer bytes.
    public func forEachBlock(_ body: (UnsafeRawBufferPointer) -> Void) throws(FileSystem.Error) {
        if let contents {
            let end = min(offset + length, contents.count)
            if offset < end { contents[offset..<end].withUnsafeBytes(body) }
        } else if let file {
            try file.forEachBlock(offset: offset, length: length, body)
        } else {
            try FileSystem.forEachBlock(path, offset: offset, length: length, body)
        }
    }

    /// The slice's bytes, read as `forEachBlock` reads them.
    public func read() throws(FileSystem.Error) -> [UInt8] {
        if let contents, offset == 0, length == contents.count { return contents }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(length, 1 << 20))
        try forEachBlock { bytes.append(contentsOf: $0) }
        return bytes
    }

    public static func == (lhs: FileBody, rhs: FileBody) -> Bool {
        lhs.path == rhs.path && lhs.offset == rhs.offset && lhs.length == rhs.length && lhs.file === rhs.file
            && lhs.contents == rhs.contents
    }
}
