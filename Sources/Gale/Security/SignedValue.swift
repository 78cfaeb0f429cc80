import Crypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Tornado's signed values, byte for byte: what `set_signed_cookie` stores and
/// `get_signed_cookie` checks. Tornado: `tornado.web.create_signed_value` and
/// `decode_signed_value`.
///
/// Version 2 (written by default):
/// `2|<len>:<key_version>|<len>:<timestamp>|<len>:<name>|<len>:<base64 value>|<hex HMAC-SHA256>`,
/// the HMAC over everything before it. Version 1 (read, and written on request):
/// `<base64 value>|<timestamp>|<hex HMAC-SHA1 of name, value and timestamp>`.
public enum SignedValue {
    /// Why a signed value was refused; logged at debug level, never shown to the client.
    public enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case malformed
        case unknownVersion(Int)
        case belowMinimumVersion(Int)
        case unknownKeyVersion(Int)
        case badSignature
        case wrongName
        case expired
        case timestampInFuture
        case tampered

        public var description: String {
            switch self {
            case .empty: "empty value"
            case .malformed: "malformed signed value"
            case .unknownVersion(let version): "unknown signed value version \(version)"
            case .belowMinimumVersion(let version): "signed value version \(version) is below the minimum"
            case .unknownKeyVersion(let version): "no cookie secret for key version \(version)"
            case .badSignature: "invalid signature"
            case .wrongName: "signed for another name"
            case .expired: "expired"
            case .timestampInFuture: "timestamp in the future; possible tampering"
            case .tampered: "tampered timestamp"
            }
        }
    }

    /// Signs `value` under `name`. `version` 2 (the default) or 1; `keyVersion` picks the key
    /// from `secrets` and is written into the value (version 2 only).
    public static func create(
        secret: SigningKeys, name: String, value: [UInt8], version: Int = 2, now: Int = HTTPDate.nowSeconds()
    ) -> String {
        let timestamp = String(now)
        let encoded = Data(value).base64EncodedString()
        if version == 1 {
            let signature = hmacSHA1(secret.current, [name, encoded, timestamp])
            return "\(encoded)|\(timestamp)|\(signature)"
        }
        func field(_ text: String) -> String { "\(text.utf8.count):\(text)" }
        let toSign = [
            "2", field(String(secret.currentVersion ?? 0)), field(timestamp), field(name), field(encoded), "",
        ]
        .joined(separator: "|")
        return toSign + hmacSHA256(secret.current, toSign)
    }

    /// The value signed under `name`, if the signature, name and age check out.
    /// `maxAgeDays` is Tornado's `max_age_days` (31); `minVersion` refuses older formats.
    public static func decode(
        secret: SigningKeys, name: String, value: String, maxAgeDays: Double = 31, minVersion: Int = 1,
        now: Int = HTTPDate.nowSeconds()
    ) -> Result<[UInt8], Rejection> {
        guard !value.isEmpty else { return .failure(.empty) }
        let version = Self.version(of: value)
        guard version >= minVersion else { return .failure(.belowMinimumVersion(version)) }
        switch version {
        case 1:
            // Tornado refuses version 1 with versioned keys (it cannot say which key signed it).
            guard secret.currentVersion == nil else { return .failure(.unknownKeyVersion(0)) }
            return decodeV1(secret: secret, name: name, value: value, maxAgeDays: maxAgeDays, now: now)
        case 2: return decodeV2(secret: secret, name: name, value: value, maxAgeDays: maxAgeDays, now: now)
        default: return .failure(.unknownVersion(version))
        }
    }

    /// The key version written in a version 2 value, or `nil` for a version 1 value or one
    /// whose fields do not parse. The signature is not checked: this says which key to check it
    /// with. A value signed with a single secret (no versions) says 0. Tornado:
    /// `get_signature_key_version`.
    public static func keyVersion(of value: String) -> Int? {
        guard version(of: value) >= 2 else { return nil }
        // Tornado's `_decode_fields_v2`: after `N|`, four `length:bytes|` fields.
        let bytes = Array(value.utf8.dropFirst(2))
        var position = 0
        var fields: [ArraySlice<UInt8>] = []
        while fields.count < 4 {
            guard let colon = bytes[position...].firstIndex(of: UInt8(ascii: ":")),
                let length = Int(String(decoding: bytes[position..<colon], as: UTF8.self)), length >= 0,
                length < bytes.count - colon - 1, bytes[colon + 1 + length] == UInt8(ascii: "|")
            else { return nil }
            fields.append(bytes[(colon + 1)..<(colon + 1 + length)])
            position = colon + 2 + length
        }
        return Int(String(decoding: fields[0], as: UTF8.self))
    }

    /// Tornado's `_get_version`: `N|...` with 1 <= N <= 999 is version N, anything else 1.
    static func version(of value: String) -> Int {
        guard let bar = value.utf8.firstIndex(of: UInt8(ascii: "|")) else { return 1 }
        let digits = value.utf8[..<bar]
        guard let first = digits.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9"),
            digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), digits.count <= 3,
            let version = Int(String(decoding: digits, as: UTF8.self))
        else { return 1 }
        return version
    }

    private static func decodeV1(secret: SigningKeys, name: String, value: String, maxAgeDays: Double, now: Int)
        -> Result<[UInt8], Rejection>
    {
        let parts = value.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed) }
        let signature = hmacSHA1(secret.current, [name, String(parts[0]), String(parts[1])])
        guard constantTimeEqual(Array(parts[2].utf8), Array(signature.utf8)) else { return .failure(.badSignature) }
        guard let timestamp = Int(parts[1]) else { return .failure(.malformed) }
        if Double(timestamp) < Double(now) - maxAgeDays * 86_400 { return .failure(.expired) }
        if Double(timestamp) > Double(now) + 31 * 86_400 { return .failure(.timestampInFuture) }
        if parts[1].hasPrefix("0") { return .failure(.tampered) }
        guard let decoded = Data(base64Encoded: String(parts[0])) else { return .failure(.malformed) }
        return .success(Array(decoded))
    }

    private static func decodeV2(secret: SigningKeys, name: String, value: String, maxAgeDays: Double, now: Int)
        -> Result<[UInt8], Rejection>
    {
        let bytes = Array(value.utf8)
        var position = 2  // after "2|"
        func field() -> ArraySlice<UInt8>? {
            guard let colon = bytes[position...].firstIndex(of: UInt8(ascii: ":")), colon - position <= 10,
                let length = Int(String(decoding: bytes[position..<colon], as: UTF8.self)), length >= 0,
                colon + 1 + length < bytes.count, bytes[colon + 1 + length] == UInt8(ascii: "|")
            else { return nil }
            defer { position = colon + 2 + length }
            return bytes[(colon + 1)..<(colon + 1 + length)]
        }
        guard bytes.count > 2, let keyField = field(), let timestampField = field(), let nameField = field(),
            let valueField = field(),
            let keyVersion = Int(String(decoding: keyField, as: UTF8.self)),
            let timestamp = Int(String(decoding: timestampField, as: UTF8.self))
        else { return .failure(.malformed) }
        let passedSignature = bytes[position...]
        guard let key = secret.key(version: keyVersion) else { return .failure(.unknownKeyVersion(keyVersion)) }
        let expected = hmacSHA256(key, String(decoding: bytes[..<position], as: UTF8.self))
        guard constantTimeEqual(Array(passedSignature), Array(expected.utf8)) else { return .failure(.badSignature) }
        guard nameField.elementsEqual(name.utf8) else { return .failure(.wrongName) }
        if Double(timestamp) < Double(now) - maxAgeDays * 86_400 { return .failure(.expired) }
        guard let decoded = Data(base64Encoded: String(decoding: valueField, as: UTF8.self)) else {
            return .failure(.malformed)
        }
        return .success(Array(decoded))
    }

    static func hmacSHA256(_ key: String, _ message: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(key.utf8)))
        return code.withUnsafeBytes { Hex.encode($0) }
    }

    private static func hmacSHA1(_ key: String, _ parts: [String]) -> String {
        var hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: Array(key.utf8)))
        for part in parts { hmac.update(data: Array(part.utf8)) }
        return hmac.finalize().withUnsafeBytes { Hex.encode($0) }
    }

    /// Compares without an early exit, so timing does not reveal how much of a guess matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// The key or keys that sign cookies. Tornado: the `cookie_secret` setting (a string, or a
/// dictionary of versions to keys with the `key_version` setting choosing the current one).
public struct SigningKeys: Sendable, Equatable {
    /// Keys by version; a single secret is version 0 with no version written.
    public var keys: [Int: String]
    /// The version new values are signed with; `nil` for a single secret.
    public var currentVersion: Int?

    /// One secret. Tornado: `cookie_secret="..."`.
    public init(_ secret: String) {
        keys = [0: secret]
        currentVersion = nil
        current = secret
    }

    /// Versioned secrets for rotation: new values use `current`, old ones still verify while
    /// their key is listed. Tornado: `cookie_secret={1: "...", 2: "..."}, key_version=2`.
    /// `nil` when `current` is not one of the versions.
    public init?(versions: [Int: String], current: Int) {
        guard let key = versions[current] else { return nil }
        keys = versions
        currentVersion = current
        self.current = key
    }

    /// The key new values are signed with.
    public let current: String

    func key(version: Int) -> String? {
        currentVersion == nil ? keys[0] : keys[version]
    }
}
