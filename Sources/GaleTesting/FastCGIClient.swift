#if canImport(Glibc)
    import Glibc
#endif

/// A FastCGI client, as nginx's `fastcgi_pass` speaks it: one request per connection to a unix
/// socket, the CGI variables as `FCGI_PARAMS`, the body as `FCGI_STDIN`, the answer gathered
/// from `FCGI_STDOUT` until `FCGI_END_REQUEST`. Blocking; for tests.
enum FastCGIClient {
    /// What went wrong talking to the server.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Record types (FastCGI specification, section 8).
    private enum RecordType: UInt8 {
        case beginRequest = 1
        case endRequest = 3
        case params = 4
        case stdin = 5
        case stdout = 6
        case stderr = 7
    }

    /// Sends one request and returns everything the application wrote to `FCGI_STDOUT`.
    /// `onOutput` sees each `FCGI_STDOUT` record's bytes as they arrive.
    static func send(
        socketPath: String, variables: [String: String], body: [UInt8], onOutput: ([UInt8]) -> Void = { _ in }
    ) throws -> [UInt8] {
        let descriptor = try connect(to: socketPath)
        defer { close(descriptor) }

        var request: [UInt8] = []
        // FCGI_RESPONDER, no FCGI_KEEP_CONN: the server closes the connection when done.
        append(.beginRequest, [0, 1, 0, 0, 0, 0, 0, 0], to: &request)
        var params: [UInt8] = []
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            appendLength(name.utf8.count, to: &params)
            appendLength(value.utf8.count, to: &params)
            params += name.utf8
            params += value.utf8
        }
        appendStream(.params, params, to: &request)
        appendStream(.stdin, body, to: &request)
        try writeAll(descriptor, request)
        return try readAnswer(descriptor, onOutput: onOutput)
    }

    private static func connect(to path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            close(descriptor)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw Failure(description: "cannot connect to \(path): errno \(errno)")
        }
        return descriptor
    }

    /// A stream's records of at most 65535 bytes each, then the empty record that ends it.
    private static func appendStream(_ type: RecordType, _ content: [UInt8], to out: inout [UInt8]) {
        var offset = 0
        while offset < content.count {
            let end = min(offset + 65_535, content.count)
            append(type, content[offset..<end], to: &out)
            offset = end
        }
        append(type, [], to: &out)
    }

    private static func append(_ type: RecordType, _ content: some Collection<UInt8>, to out: inout [UInt8]) {
        let length = content.count
        let padding = (8 - length % 8) % 8
        out += [1, type.rawValue, 0, 1, UInt8(length >> 8), UInt8(length & 0xff), UInt8(padding), 0]
        out += content
        out += [UInt8](repeating: 0, count: padding)
    }

    /// A name-value pair length: one byte below 128, else four with the high bit set.
    private static func appendLength(_ length: Int, to out: inout [UInt8]) {
        if length < 128 {
            out.append(UInt8(length))
        } else {
            out += [UInt8((length >> 24) & 0x7f) | 0x80, UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff)]
            out.append(UInt8(length & 0xff))
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else {
                if written < 0 && errno == EINTR { continue }
                throw Failure(description: "write failed: errno \(errno)")
            }
            offset += written
        }
    }

    private static func readAnswer(_ descriptor: Int32, onOutput: ([UInt8]) -> Void) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var stdout: [UInt8] = []
        while true {
            // Whole records first.
            while received.count >= 8 {
                let length = Int(received[4]) << 8 | Int(received[5])
                let total = 8 + length + Int(received[6])
                guard received.count >= total else { break }
                let type = RecordType(rawValue: received[1])
                if type == .stdout {
                    stdout += received[8..<(8 + length)]
                    onOutput(Array(received[8..<(8 + length)]))
                }
                if type == .endRequest { return stdout }
                received.removeFirst(total)
            }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw Failure(description: "the server closed the connection before FCGI_END_REQUEST")
            }
            received += buffer[..<count]
        }
    }
}
