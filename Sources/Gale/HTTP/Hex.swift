/// Lowercase hexadecimal, as Python's `hexdigest()` writes digests.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` in hex; with `quoted`, inside double quotes (an entity tag) in one allocation.
    static func encode(_ bytes: UnsafeRawBufferPointer, quoted: Bool = false) -> String {
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
