/// A virtual host's pattern: a regular expression that must match the whole host name.
///
/// Tornado: `tornado.routing.HostMatches`, which appends `$` and matches from the start. Gale
/// matches the whole name as it does paths, so an alternation is anchored at both ends in every
/// branch (`example\.com|www\.example\.com` does not match `example.com.evil.net`, which
/// Tornado's `re.match` would). Plain names (`www\.example\.com`) and `.*` match without the
/// regex engine.
struct HostPattern: Sendable {
    /// The pattern as written.
    let source: String
    private let compiled: RoutePattern
    private let matchesEverything: Bool

    init(_ pattern: String) throws(RoutePattern.InvalidPattern) {
        source = pattern
        compiled = try RoutePattern(pattern)
        var body = Substring(pattern)
        if body.hasPrefix("^") { body = body.dropFirst() }
        if body.hasSuffix("$") && !body.hasSuffix("\\$") { body = body.dropLast() }
        matchesEverything = body == ".*"
    }

    /// Whether `hostName` (already lower-cased, without port) is one of this pattern's hosts.
    func matches(_ hostName: String) -> Bool {
        // `.` does not match a newline, and a host never holds one.
        matchesEverything || compiled.match(hostName) != nil
    }

    func compile() { compiled.compile() }

    /// The host a request is routed by: `host` lower-cased, without a trailing `:port`.
    /// Tornado: `request.host_name`, `split_host_and_port(host.lower())[0]`, whose pattern
    /// `^(.+):(\d+)$` keeps an IPv6 literal's brackets (`[::1]:8000` is `[::1]`).
    static func hostName(_ host: String) -> String {
        let lowered = host.utf8.contains { (0x41...0x5A).contains($0) || $0 >= 0x80 } ? host.lowercased() : host
        let bytes = lowered.utf8
        guard let colon = bytes.lastIndex(of: UInt8(ascii: ":")), colon > bytes.startIndex else { return lowered }
        let port = bytes[bytes.index(after: colon)...]
        guard !port.isEmpty, port.allSatisfy({ (0x30...0x39).contains($0) }) else { return lowered }
        return String(Substring(bytes[..<colon]))
    }
}
