import Gale

/// Signed values (secure cookies, Tornado's `decode_signed_value`): the input is a cookie value
/// read back under a single secret and under versioned keys. A value Gale signed itself must
/// read back unchanged, whatever its bytes.
enum SignedValueFuzz {
    static let single = SigningKeys("fuzz secret")
    static let versioned = SigningKeys(versions: [0: "zero", 1: "one", 7: "seven"], current: 1) ?? single
    static let now = 1_700_000_000

    static func run(_ input: FuzzInput) {
        let value = input.text
        for keys in [single, versioned] {
            for minVersion in [1, 2] {
                _ = SignedValue.decode(secret: keys, name: "user", value: value, minVersion: minVersion, now: now)
            }
        }
        _ = SignedValue.keyVersion(of: value)
        for version in [1, 2] {
            let keys = version == 1 ? single : versioned
            let signed = SignedValue.create(secret: keys, name: "user", value: input.bytes, version: version, now: now)
            guard case .success(let read) = SignedValue.decode(secret: keys, name: "user", value: signed, now: now),
                read == input.bytes
            else { fatalError("a value signed by Gale did not read back: \(signed)") }
        }
    }
}
