/// An XSRF token as Tornado writes and reads it. Tornado: `_get_raw_xsrf_token`,
/// `_decode_xsrf_token` and the `xsrf_token` property.
///
/// Version 2: `2|<hex 4-byte mask>|<hex token XOR mask>|<timestamp>`, with a fresh mask each
/// time it is written, so the token in a page never repeats (no BREACH-style compression
/// leak). Version 1: the token in hex.
struct XSRFToken: Sendable, Equatable {
    /// 1 or 2 for a token read from a cookie; `nil` for one just made.
    var version: Int?
    /// The secret bytes (16 when Gale or Tornado made them).
    var token: [UInt8]
    var timestamp: Int

    /// A new random token.
    static func random(now: Int) -> XSRFToken {
        XSRFToken(version: nil, token: randomBytes(16), timestamp: now)
    }

    /// `count` bytes from the system's secure generator.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Reads a cookie or submitted token; `nil` when it is malformed or of an unknown version.
    static func decode(_ text: String, now: Int) -> XSRFToken? {
        // Tornado's `^([1-9][0-9]*)\|`: a version prefix; only 2 is known.
        if let bar = text.firstIndex(of: "|"), let first = text.first, ("1"..."9").contains(first),
            text[..<bar].allSatisfy({ ("0"..."9").contains($0) })
        {
            guard text[..<bar] == "2" else { return nil }
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4, let mask = Hex.decode(parts[1]), mask.count == 4,
                let masked = Hex.decode(parts[2]), !masked.isEmpty, let timestamp = Int(parts[3])
            else { return nil }
            return XSRFToken(version: 2, token: apply(mask: mask, to: masked), timestamp: timestamp)
        }
        guard !text.isEmpty else { return nil }  // an empty cookie is no cookie, as in Tornado
        return XSRFToken(version: 1, token: Hex.decode(Substring(text)) ?? Array(text.utf8), timestamp: now)
    }

    /// The token as written to the cookie and into forms, in `version`'s format.
    func encoded(version: Int, mask: [UInt8]) -> String {
        if version == 1 { return Hex.encodeString(token) }
        return "2|\(Hex.encodeString(mask))|\(Hex.encodeString(Self.apply(mask: mask, to: token)))|\(timestamp)"
    }

    /// XOR with the mask repeated. Tornado: `_websocket_mask`.
    static func apply(mask: [UInt8], to bytes: [UInt8]) -> [UInt8] {
        guard !mask.isEmpty else { return bytes }
        return bytes.indices.map { bytes[$0] ^ mask[$0 % mask.count] }
    }
}
