/// Entity-tag comparisons for conditional requests (RFC 9110 §8.8.3, §13.1).
public enum EntityTag {
    /// Whether `If-None-Match: header` matches `etag` by the weak comparison (`W/"x"` equals
    /// `"x"`), or is `*`. Tornado: `check_etag_header`.
    public static func noneMatch(_ header: String, matches etag: String) -> Bool {
        let wanted = opaque(etag)
        for candidate in header.split(separator: ",") {
            let tag = candidate.trimmingSpaces()
            if tag == "*" || opaque(tag) == wanted { return true }
        }
        return false
    }

    /// Whether `If-Range: header` still holds for a file with `etag` and `lastModified`
    /// (seconds since 1970): a strong match of the tag, or exactly the modification date.
    public static func ifRange(_ header: String, etag: String, lastModified: Int) -> Bool {
        let value = Substring(header).trimmingSpaces()
        if value.hasPrefix("W/") { return false }
        if value.hasPrefix("\"") { return value == etag }
        return HTTPDate.parse(String(value)) == lastModified
    }

    /// The tag without its weakness marker.
    private static func opaque(_ tag: some StringProtocol) -> Substring {
        let text = Substring(tag)
        return text.hasPrefix("W/") ? text.dropFirst(2) : text
    }
}
