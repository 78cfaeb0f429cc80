import Gale

/// Reads the client's address and scheme from a load balancer's headers.
///
/// Tornado: `_HTTPRequestContext._apply_xheaders`. `X-Real-Ip` wins over `X-Forwarded-For`,
/// whose rightmost address not in `trustedDownstream` is taken; `X-Scheme` wins over
/// `X-Forwarded-Proto`, whose last value is taken. Values that are not an IP address or not
/// `http`/`https` are ignored, so a client cannot inject arbitrary text into logs.
///
/// Unlike Tornado, the headers count only when the connection comes from a trusted proxy
/// (loopback, a Unix socket, or `trustedDownstream`): a client that reaches a backend directly
/// cannot name its own address, as with gunicorn's `forwarded_allow_ips`.
enum XHeaders {
    static func apply(to request: inout ServerRequest, proxies: TrustedProxies) {
        guard proxies.trustsPeer(request.remoteIP) else { return }
        var ip = request.remoteIP
        // A proxy may add its own header line (HAProxy's `option forwardfor`): all lines count,
        // in order, or a client could put its own first line ahead of the proxy's.
        let forwarded = request.headers.values(for: "X-Forwarded-For").joined(separator: ",")
        if !forwarded.isEmpty {
            let hops = forwarded.split(separator: ",").map { String($0.trimmingCharacters()) }
            ip = hops.last { !proxies.contains($0) } ?? hops.first ?? ip
        }
        if let real = request.headers.values(for: "X-Real-Ip").last { ip = real.trimmingCharacters() }
        if isValidIP(ip) { request.remoteIP = ip }

        let scheme = request.headers.values(for: "X-Scheme").joined(separator: ",")
        let proto = request.headers.values(for: "X-Forwarded-Proto").joined(separator: ",")
        if let last = (scheme.isEmpty ? proto : scheme).split(separator: ",").last {
            let value = last.trimmingCharacters().lowercased()
            if value == "http" || value == "https" { request.protocol = value }
        }
    }

    /// Whether `text` is a literal IPv4 or IPv6 address. Tornado: `netutil.is_valid_ip`.
    static func isValidIP(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 45 else { return false }
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4 {
            return octets.allSatisfy { octet in
                !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCIIDigit)
                    && Int(octet).map { $0 <= 255 } == true
            }
        }
        guard text.contains(":") else { return false }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count >= 3, groups.count <= 8 else { return false }
        var emptyRuns = 0
        for (index, group) in groups.enumerated() {
            if group.isEmpty {
                if index > 0 && index < groups.count - 1 { emptyRuns += 1 }
                continue
            }
            if index == groups.count - 1, group.contains(".") { return isValidIP(String(group)) }
            guard group.count <= 4, group.allSatisfy(\.isHexDigit) else { return false }
        }
        return emptyRuns <= 1 || text.hasPrefix("::") || text.hasSuffix("::")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
