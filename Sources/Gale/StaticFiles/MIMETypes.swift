/// Media types by file extension, for `Content-Type` of static files.
///
/// Tornado: `mimetypes.guess_type`. Text types get `; charset=utf-8`, as browsers otherwise
/// guess the encoding of text files.
public enum MIMETypes {
    /// The `Content-Type` for a file name; `application/octet-stream` when unknown.
    public static func contentType(forPath path: String) -> String {
        guard let type = mediaType(forPath: path) else { return "application/octet-stream" }
        return isText(type) ? "\(type); charset=utf-8" : type
    }

    /// The media type for a file name's extension, without parameters.
    public static func mediaType(forPath path: String) -> String? {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return table[name[name.index(after: dot)...].lowercased()]
    }

    /// Whether `type` is text that a charset applies to.
    static func isText(_ type: String) -> Bool {
        type.hasPrefix("text/") || type == "application/json" || type == "application/javascript"
            || type == "application/manifest+json" || type == "image/svg+xml" || type.hasSuffix("+xml")
    }
}
