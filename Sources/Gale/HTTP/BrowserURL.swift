/// How a browser reads a redirect target, for checks on targets built from request input: a
/// URL that a browser would take to another host is an open redirect.
///
/// Tornado 6.6: `_normalize_url_like_browser`, `_is_protocol_relative` and
/// `_scheme_and_netloc`, which follow the WHATWG URL parser where it differs from RFC 3986.
enum BrowserURL {
    /// The URL as a browser sees it: leading and trailing control characters and spaces
    /// removed, tabs and line breaks removed anywhere, backslashes read as slashes.
    static func normalize(_ url: String) -> String {
        var scalars = Substring(url).unicodeScalars
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        var out = String.UnicodeScalarView()
        for scalar in scalars where scalar != "\t" && scalar != "\n" && scalar != "\r" {
            out.append(scalar == "\\" ? "/" : scalar)
        }
        return String(out)
    }

    /// Whether a browser reads `url` as protocol-relative (`//example.com/...`): another host.
    static func isProtocolRelative(_ url: String) -> Bool {
        normalize(url).hasPrefix("//")
    }

    /// A URL a browser could not parse as Python's `urlsplit` does (an unbalanced `[` of an
    /// IPv6 host).
    struct Malformed: Error {}

    /// The scheme and the authority (user info, host and port) a browser sees in `url`,
    /// lower-cased; both empty for a relative URL. Python: `urlsplit` after `normalize`, with
    /// any run of leading slashes read as two (browsers skip extra slashes before a host).
    static func schemeAndNetloc(_ url: String) throws(Malformed) -> (scheme: String, netloc: String) {
        var rest = Substring(normalize(url))
        if rest.hasPrefix("//") {
            while rest.hasPrefix("///") { rest = rest.dropFirst() }
        }
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), colon > rest.startIndex,
            let first = rest.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
            rest[..<colon].unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0))
            })
        {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        var netloc = ""
        if rest.hasPrefix("//") {
            let authority = rest.dropFirst(2)
            netloc = String(authority.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
            if netloc.contains("[") != netloc.contains("]") { throw Malformed() }
        }
        return (scheme, netloc.lowercased())
    }
}
