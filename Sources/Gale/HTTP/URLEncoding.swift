import GaleTemplate

/// Percent-encoding as used in URLs and `application/x-www-form-urlencoded` bodies.
///
/// Tornado: `tornado.escape.url_escape` / `url_unescape`. Decoding is strict: a `%` not
/// followed by two hex digits is an error (Python's `unquote` would pass it through, which
/// hides broken clients); the error becomes a 400 for the request.
public enum URLEncoding {
    /// A malformed percent-escape.
    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        /// The byte offset of the bad escape.
        public var offset: Int
        public var description: String { "malformed percent-encoding at byte \(offset)" }
    }

    /// Decodes `%XX` escapes (and `+` as space when `plus` is true) into raw bytes.
    public static func decode(_ text: some Collection<UInt8>, plus: Bool) throws(DecodingError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = text.startIndex
        var offset = 0
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "%") {
                let first = text.index(after: index)
                guard first < text.endIndex, let high = Hex.value(text[first]) else {
                    throw DecodingError(offset: offset)
                }
                let second = text.index(after: first)
                guard second < text.endIndex, let low = Hex.value(text[second]) else {
                    throw DecodingError(offset: offset)
                }
                out.append(high << 4 | low)
                index = text.index(after: second)
                offset += 3
            } else {
                out.append(plus && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = text.index(after: index)
                offset += 1
            }
        }
        return out
    }

    /// Decodes a percent-encoded string into UTF-8 text; `nil` when an escape is malformed or
    /// the bytes are not valid UTF-8.
    public static func decodeString(_ text: some StringProtocol, plus: Bool = false) -> String? {
        if !text.utf8.contains(UInt8(ascii: "%")) && !(plus && text.utf8.contains(UInt8(ascii: "+"))) {
            return String(text)
        }
        guard let bytes = try? decode(text.utf8, plus: plus) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Percent-encodes `text`. With `plus`, spaces become `+` (form encoding); slashes are
    /// kept only when `keepSlash` is true (path segments), as Tornado's `url_escape` does.
    public static func encode(_ text: some StringProtocol, plus: Bool = true, keepSlash: Bool = false) -> String {
        Escape.percentEncode(text, plus: plus, keepSlash: keepSlash)
    }

    /// Parses `a=1&b=2&a=3` into ordered pairs of raw (decoded) bytes. Empty values are kept
    /// (Tornado's `keep_blank_values=True`); pieces without `=` get an empty value.
    /// Works on bytes, not text, so a value's invalid UTF-8 survives to be reported (400) by
    /// whoever decodes it, instead of turning into replacement characters here.
    public static func parseForm(_ bytes: some Collection<UInt8>) throws(DecodingError) -> [(String, [UInt8])] {
        var pairs: [(String, [UInt8])] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let nameBytes = try decode(piece[..<(equals ?? piece.endIndex)], plus: true)
            let value: [UInt8]
            if let equals {
                value = try decode(piece[piece.index(after: equals)...], plus: true)
            } else {
                value = []
            }
            pairs.append((String(decoding: nameBytes, as: UTF8.self), value))
        }
        return pairs
    }
}
