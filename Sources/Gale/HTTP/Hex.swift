/// Lowercase hexadecimal, as Python's `hexdigest()` writes digests.
package enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` in hex; with `quoted`, inside double quotes (an entity tag) in one allocation.
    package static func encode(_ bytes: UnsafeRawBufferPointer, quoted: Bool = false) -> String {
        let extra = quoted ? 2 : 0
        return String(unsafeUninitializedCapacity: bytes.count * 2 + extra) { out in
            var index = 0
            if quoted {
                out[0] = UInt8(ascii: "\"")
                index = 1
            }
            for byte in bytes {
                out[index] = digits[Int(byte >> 4)]
                out[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            if quoted {
                out[index] = UInt8(ascii: "\"")
                index += 1
            }
            return index
        }
    }
}

extension Hex {
    /// `bytes` in lowercase hex.
    static func encodeString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode($0) }
    }

    /// The bytes `text` spells in hex (either case); `nil` for an odd length or another character.
    static func decode(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hex digit, either case.
    static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
