import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// Where the program listens, read from its own arguments (`--port N`, `--address A`, as Gale's
/// `serve` takes them), so this tool can hold the socket across the program's restarts.
struct ListeningAddress {
    var host: String
    var port: Int

    /// The address in `arguments`, or `nil` when they name no port (or port 0, which a
    /// restarted program could not keep).
    init?(arguments: [String]) throws {
        func value(_ flag: String) -> String? {
            for (index, argument) in arguments.enumerated() {
                if argument == flag, index + 1 < arguments.count { return arguments[index + 1] }
                if argument.hasPrefix(flag + "=") { return String(argument.dropFirst(flag.count + 1)) }
            }
            return nil
        }
        guard let text = value("--port") else { return nil }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("--port \(text) is not a port number")
        }
        guard port != 0 else { return nil }
        self.port = port
        host = value("--address") ?? "127.0.0.1"
    }

    /// A listening socket on the address, inheritable (not close-on-exec).
    func bind() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &found)
        guard status == 0, let info = found?.pointee else {
            throw ValidationError("cannot listen on \(host):\(port): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        let descriptor = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard descriptor >= 0, Glibc.bind(descriptor, info.ai_addr, info.ai_addrlen) == 0,
            listen(descriptor, 1024) == 0
        else {
            throw ValidationError("cannot listen on \(host):\(port): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }
}
