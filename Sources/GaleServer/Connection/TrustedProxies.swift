#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The proxies whose forwarding headers Gale believes: `HTTPServer.Configuration`'s
/// `trustedDownstream`, parsed once when the server starts.
///
/// An entry is an address (`10.0.0.5`, compared as text, as Tornado does) or a network in CIDR
/// form (`10.0.0.0/8`, `fd00::/8`) for balancers whose addresses change. A connection from
/// loopback or a Unix socket is always trusted: only this machine's processes reach those.
struct TrustedProxies: Sendable {
    /// A network in CIDR form: its first `prefixLength` bits.
    private struct Network: Sendable {
        var bytes: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefixLength
            for index in bytes.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    private let addresses: Set<String>
    private let networks: [Network]

    /// Parses `entries`; an entry with a `/` must be a valid network (`10.0.0.0/8`).
    init(_ entries: Set<String>) throws(HTTPServerError) {
        var addresses: Set<String> = []
        var networks: [Network] = []
        for entry in entries {
            guard let slash = entry.firstIndex(of: "/") else {
                addresses.insert(entry)
                continue
            }
            let prefix = String(entry[entry.index(after: slash)...])
            guard let bytes = Self.addressBytes(String(entry[..<slash])), let length = Int(prefix),
                prefix.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                (0...bytes.count * 8).contains(length)
            else {
                throw .invalidConfiguration(
                    "trustedDownstream: \"\(entry)\" is not an address or a network such as 10.0.0.0/8")
            }
            networks.append(Network(bytes: bytes, prefixLength: length))
        }
        self.addresses = addresses
        self.networks = networks
    }

    /// Whether the connection's own peer may set `X-Real-Ip`, `X-Forwarded-For` and the
    /// scheme headers: loopback, a Unix socket (no address), or a trusted proxy.
    func trustsPeer(_ peer: String) -> Bool {
        peer.isEmpty || peer == "::1" || peer.hasPrefix("127.") || peer.hasPrefix("::ffff:127.") || contains(peer)
    }

    /// Whether `address` (a peer, or a hop of `X-Forwarded-For`) is one of the proxies.
    func contains(_ address: String) -> Bool {
        if addresses.contains(address) { return true }
        // A dual-stack socket's IPv4 peer, `::ffff:10.0.0.5`, is the proxy `10.0.0.5`.
        if address.hasPrefix("::ffff:"), address.contains("."), addresses.contains(String(address.dropFirst(7))) {
            return true
        }
        guard !networks.isEmpty, let bytes = Self.addressBytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The address's bytes: 4 for IPv4 and for IPv4-mapped IPv6 (`::ffff:10.0.0.1`), else 16.
    private static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return mapped ? Array(bytes[12...]) : bytes
    }
}
