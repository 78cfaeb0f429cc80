#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A listening socket made with plain system calls, before any event loop exists, so worker
/// processes can inherit it: what `HTTPServer.bind` opens. Tornado: `bind_sockets`.
struct ListeningSocket: Sendable {
    /// Where the socket listens, for messages and `ports`.
    enum Address: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    /// The descriptor, close-on-exec, numbered above the ones a worker receives its sockets on.
    let descriptor: Int32
    let address: Address

    /// Descriptors below this are left free for the ones handed to workers (3, 4, ...).
    static let firstPrivateDescriptor: Int32 = 100

    /// The port the socket is bound to, or `nil` for a Unix socket.
    var port: Int? {
        if case .tcp(_, let port) = address { return port }
        return nil
    }

    /// Binds and listens on `host:port` (port 0 picks a free one). An empty host means every
    /// interface, IPv6 and IPv4 both where the system has IPv6, as in Tornado.
    static func tcp(host: String, port: Int, reusePort: Bool, backlog: Int32) throws(HTTPServerError) -> Self {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            let reason = String(cString: gai_strerror(status))
            throw .bindFailed(address: host, port: port, reason: reason)
        }
        defer { freeaddrinfo(first) }
        // Every interface: one IPv6 socket that takes IPv4 too, when the system has IPv6.
        var candidates: [UnsafeMutablePointer<addrinfo>] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            candidates.append(current)
            entry = current.pointee.ai_next
        }
        if host.isEmpty {
            candidates.sort { ($0.pointee.ai_family == AF_INET6 ? 0 : 1) < ($1.pointee.ai_family == AF_INET6 ? 0 : 1) }
        }
        var lastError = "no address"
        for candidate in candidates {
            let info = candidate.pointee
            let descriptor = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            guard descriptor >= 0 else {
                lastError = Self.errorText("socket")
                continue
            }
            var on: Int32 = 1
            var off: Int32 = 0
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            if reusePort {
                setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            if info.ai_family == AF_INET6 && host.isEmpty {
                setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
            }
            guard Glibc.bind(descriptor, info.ai_addr, info.ai_addrlen) == 0,
                Glibc.listen(descriptor, backlog) == 0
            else {
                lastError = Self.errorText("bind")
                close(descriptor)
                continue
            }
            let bound = Self.boundPort(descriptor) ?? port
            return try Self(moving: descriptor, address: .tcp(host: host, port: bound))
        }
        throw .bindFailed(address: host, port: port, reason: lastError)
    }

    /// Binds and listens on a Unix socket at `path`, replacing a stale socket file left there.
    static func unix(path: String, backlog: Int32) throws(HTTPServerError) -> Self {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw .bindFailed(address: path, port: 0, reason: "the path is too long for a Unix socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else {
                throw .bindFailed(address: path, port: 0, reason: "a file that is not a socket is in the way")
            }
            unlink(path)
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .bindFailed(address: path, port: 0, reason: errorText("socket")) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, backlog) == 0 else {
            let reason = errorText("bind")
            close(descriptor)
            throw .bindFailed(address: path, port: 0, reason: reason)
        }
        return try Self(moving: descriptor, address: .unix(path: path))
    }

    /// `count` sockets on this one's address, each with `SO_REUSEPORT` and an accept queue of
    /// its own, one per worker; this one is closed first. The kernel spreads new connections
    /// over them, and a worker's queue outlives the worker (the parent keeps it), so
    /// connections wait while it is replaced. Sharing one socket instead would wake every
    /// worker for each connection, and NIO's debug builds assert that a wake-up finds one.
    func split(into count: Int, backlog: Int32) throws(HTTPServerError) -> [ListeningSocket] {
        guard case .tcp(let host, let port) = address else {
            throw .processesRefused(
                "a Unix socket is served by one process: use start(1), or TCP ports for several processes")
        }
        close(descriptor)
        var sockets: [ListeningSocket] = []
        for _ in 0..<count {
            sockets.append(try .tcp(host: host, port: port, reusePort: true, backlog: backlog))
        }
        return sockets
    }

    /// Takes a socket inherited from a parent (a supervising Gale process, or systemd).
    static func inherited(_ descriptor: Int32) throws(HTTPServerError) -> Self {
        var family = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &family) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            throw .bindFailed(address: "inherited descriptor \(descriptor)", port: 0, reason: errorText("getsockname"))
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        if Int32(family.ss_family) == AF_UNIX {
            return Self(descriptor: descriptor, address: .unix(path: "(inherited)"))
        }
        return Self(descriptor: descriptor, address: .tcp(host: "", port: boundPort(descriptor) ?? 0))
    }

    private init(descriptor: Int32, address: Address) {
        self.descriptor = descriptor
        self.address = address
    }

    /// Moves `descriptor` above `firstPrivateDescriptor`, so handing sockets to a worker on 3,
    /// 4, ... never lands on one of them (a `dup2` onto itself would keep close-on-exec).
    /// Under a descriptor limit of 100 or less (`ulimit -n`) there is no room above it: the
    /// socket stays where it is, which one process needs no room for.
    private init(moving descriptor: Int32, address: Address) throws(HTTPServerError) {
        let moved = fcntl(descriptor, F_DUPFD_CLOEXEC, Self.firstPrivateDescriptor)
        if moved < 0, errno == EINVAL {
            self.init(descriptor: descriptor, address: address)
            return
        }
        close(descriptor)
        guard moved >= 0 else { throw .bindFailed(address: "\(address)", port: 0, reason: Self.errorText("fcntl")) }
        self.init(descriptor: moved, address: address)
    }

    private static func boundPort(_ descriptor: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        default:
            return nil
        }
    }

    private static func errorText(_ call: String) -> String {
        "\(call): \(String(cString: strerror(errno)))"
    }
}
