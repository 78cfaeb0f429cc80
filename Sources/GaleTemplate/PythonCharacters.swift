/// Python's character classes (`str.isspace`, the `\s` and `\w` of `re` on `str`) read from
/// UTF-8 bytes in place, for the helpers that must match Tornado's regular expressions and
/// `strip()` without making `Character`s.
///
/// The UTF-8 given is a Swift string's, so it is valid; positions are byte offsets.
enum PythonCharacters {
    /// Python's ASCII whitespace: `\t \n \v \f \r`, `\x1c` to `\x1f` (separators), space.
    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F)
    }

    /// `[A-Za-z0-9_]`.
    @inline(__always)
    static func isASCIIWord(_ byte: UInt8) -> Bool {
        let letter = byte | 0x20
        return (letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    /// The length of the non-ASCII whitespace starting at `index` (U+0085, U+00A0, U+1680,
    /// U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), else 0. Python counts these
    /// as `\s` and `strip()` removes them.
    @inline(__always)
    static func unicodeSpaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        switch lead {
        case 0xC2:
            guard index + 1 < bytes.count else { return 0 }
            return bytes[index + 1] == 0x85 || bytes[index + 1] == 0xA0 ? 2 : 0
        case 0xE1, 0xE2, 0xE3:
            guard index + 2 < bytes.count else { return 0 }
            let second = bytes[index + 1]
            let third = bytes[index + 2]
            switch lead {
            case 0xE1: return second == 0x9A && third == 0x80 ? 3 : 0
            case 0xE3: return second == 0x80 && third == 0x80 ? 3 : 0
            default:
                if second == 0x80 {
                    return third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
                }
                return second == 0x81 && third == 0x9F ? 3 : 0
            }
        default:
            return 0
        }
    }

    /// The length of the non-ASCII whitespace that ends just before `end`, else 0.
    static func unicodeSpaceLength(_ bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Int {
        for length in 2...3 where end - length >= 0 {
            if unicodeSpaceLength(bytes, at: end - length) == length { return length }
        }
        return 0
    }

    /// The scalar whose UTF-8 starts at `index`, and its length. `index` must be a lead byte.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        var position = index + 1
        while position < index + length && position < bytes.count {
            value = value << 6 | (UInt32(bytes[position]) & 0x3F)
            position += 1
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The index of the lead byte of the scalar that ends just before `end`.
    @inline(__always)
    static func scalarStart(_ bytes: UnsafeBufferPointer<UInt8>, before end: Int) -> Int {
        var index = end - 1
        while index > 0 && bytes[index] & 0xC0 == 0x80 { index -= 1 }
        return index
    }

    /// Python's `\w` for `str` patterns: `_` and whatever `str.isalnum()` accepts (letters of
    /// the categories Lu, Ll, Lt, Lm, Lo, and anything with a numeric value).
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isASCIIWord(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return scalar.properties.numericType != nil
        }
    }

    /// Whether the scalar starting at `index` is a `\w` character.
    @inline(__always)
    static func isWord(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        return byte < 0x80 ? isASCIIWord(byte) : isWord(scalar(bytes, at: index).scalar)
    }

    /// Whether the scalar ending just before `end` is a `\w` character (`false` at the start).
    @inline(__always)
    static func isWord(_ bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Bool {
        guard end > 0 else { return false }
        let byte = bytes[end - 1]
        return byte < 0x80 ? isASCIIWord(byte) : isWord(scalar(bytes, at: scalarStart(bytes, before: end)).scalar)
    }

    /// How many code points (Python's `len`) `bytes` holds.
    @inline(__always)
    static func codePointCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// Calls `body` with the UTF-8 of `text` in place; a copy only for a string that is not
    /// native (bridged or lazily decoded).
    @inline(__always)
    static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result
    {
        if let result = try text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return try copy.withUTF8(body)
    }
}
