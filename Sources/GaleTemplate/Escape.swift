/// Tornado's `tornado.escape` helpers that templates use: HTML, URL and JSON escaping,
/// `squeeze` and `linkify`.
///
/// Each one reads its input's UTF-8 in place and writes bytes, and each gives the bytes
/// Tornado's Python function gives (Tests/GaleTemplateTests/EscapeTests.swift holds outputs
/// recorded from Tornado 6.6).
public enum Escape {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is inert inside HTML text and attributes.
    /// Tornado: `xhtml_escape` (Python's `html.escape`: `'` becomes `&#x27;`).
    public static func xhtmlEscape(_ text: String) -> String {
        PythonCharacters.withUTF8(text) { bytes in
            guard let first = firstXHTMLSpecial(bytes) else { return text }
            let rest = UnsafeBufferPointer(rebasing: bytes[first...])
            return String(writingAtMost: bytes.count + xhtmlExtraLength(rest)) { output in
                output.append(UnsafeBufferPointer(rebasing: bytes[..<first]))
                output.appendXHTMLEscaped(rest)
            }
        }
    }

    /// Percent-encodes `text` for a URL; `plus` turns spaces into `+` (a query value) rather
    /// than `%20` (a path). Tornado: `url_escape(value, plus=True)` (Python's `quote_plus`, or
    /// `quote`, which keeps `/`, without `plus`).
    public static func urlEscape(_ text: String, plus: Bool = true) -> String {
        percentEncode(text, plus: plus, keepSlash: !plus)
    }

    /// Percent-encodes all but unreserved bytes; with `plus`, a space becomes `+`, with
    /// `keepSlash`, `/` stays. Gale's `URLEncoding.encode` is this too.
    package static func percentEncode(_ text: some StringProtocol, plus: Bool, keepSlash: Bool) -> String {
        if let encoded = text.utf8.withContiguousStorageIfAvailable({
            percentEncode($0, plus: plus, keepSlash: keepSlash)
        }) {
            return encoded
        }
        var copy = String(text)
        return copy.withUTF8 { percentEncode($0, plus: plus, keepSlash: keepSlash) }
    }

    private static func percentEncode(_ bytes: UnsafeBufferPointer<UInt8>, plus: Bool, keepSlash: Bool) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 3) { output in
            var count = 0
            for byte in bytes {
                if isUnreserved(byte) || (byte == UInt8(ascii: "/") && keepSlash) {
                    output[count] = byte
                    count += 1
                } else if byte == UInt8(ascii: " ") && plus {
                    output[count] = UInt8(ascii: "+")
                    count += 1
                } else {
                    output[count] = UInt8(ascii: "%")
                    output[count + 1] = hexDigit(byte >> 4)
                    output[count + 2] = hexDigit(byte & 0xF)
                    count += 3
                }
            }
            return count
        }
    }

    /// Python's `quote` keeps `A-Z a-z 0-9 _ . - ~` (RFC 3986's unreserved characters).
    @inline(__always)
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        PythonCharacters.isASCIIWord(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "~")
    }

    /// An uppercase hexadecimal digit for `value` (0...15).
    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    /// Every run of control characters and spaces (U+0000 to U+0020) as one space, and
    /// whitespace trimmed from both ends. Tornado: `squeeze`
    /// (`re.sub(r"[\x00-\x20]+", " ", value).strip()`): other whitespace, such as U+00A0, stays
    /// inside the text.
    public static func squeeze(_ text: String) -> String {
        PythonCharacters.withUTF8(text) { bytes in
            // The ends first: strip() removes spaces (which the runs became) and Unicode spaces.
            var start = 0
            while start < bytes.count {
                if bytes[start] <= 0x20 {
                    start += 1
                } else {
                    let length = PythonCharacters.unicodeSpaceLength(bytes, at: start)
                    guard length > 0 else { break }
                    start += length
                }
            }
            var end = bytes.count
            while end > start {
                if bytes[end - 1] <= 0x20 {
                    end -= 1
                } else {
                    let length = PythonCharacters.unicodeSpaceLength(bytes, endingAt: end)
                    guard length > 0 else { break }
                    end -= length
                }
            }
            // Unchanged unless something was trimmed or a run is more than one plain space.
            var index = start
            var unchanged = start == 0 && end == bytes.count
            while unchanged && index < end {
                let byte = bytes[index]
                if byte <= 0x20 && (byte != 0x20 || bytes[index + 1] <= 0x20) { unchanged = false }
                index += 1
            }
            if unchanged { return text }
            return String(unsafeUninitializedCapacity: end - start) { output in
                var count = 0
                var index = start
                while index < end {
                    let byte = bytes[index]
                    index += 1
                    if byte <= 0x20 {
                        while index < end && bytes[index] <= 0x20 { index += 1 }
                        output[count] = 0x20
                    } else {
                        output[count] = byte
                    }
                    count += 1
                }
                return count
            }
        }
    }
}

extension TemplateValue {
    /// Writes the value's text (`str()`) as UTF-8, numbers without an intermediate string.
    func write(to output: inout [UInt8]) {
        switch self {
        case .string(let text): Escape.appendUTF8(text, to: &output)
        case .int(let number): Escape.appendDecimal(number, to: &output)
        case .double(let number): TemplateValue.appendPythonFloat(number, to: &output)
        default: Escape.appendUTF8(text, to: &output)
        }
    }

    /// Writes `self[key]` when `self` is a dictionary holding `key`, without copying the value
    /// out; `false` otherwise (the caller then evaluates it the general way).
    func writeMember(_ key: TemplateKey, escaped: Bool, to output: inout [UInt8]) -> Bool {
        guard case .dictionary(let dictionary) = self else { return false }
        return dictionary.write(key, escaped: escaped, to: &output)
    }

    /// Writes the value's text escaped as `xhtml_escape` does.
    func writeEscaped(to output: inout [UInt8]) {
        switch self {
        case .string(let text):
            if text.utf8.withContiguousStorageIfAvailable({ Escape.appendXHTMLEscaped($0, to: &output) }) == nil {
                var copy = text
                copy.withUTF8 { Escape.appendXHTMLEscaped($0, to: &output) }
            }
        case .int(let number): Escape.appendDecimal(number, to: &output)
        case .double(let number): TemplateValue.appendPythonFloat(number, to: &output)
        default:
            var text = self.text
            text.withUTF8 { Escape.appendXHTMLEscaped($0, to: &output) }
        }
    }
}

extension Escape {
    /// Appends `text`'s UTF-8 bytes in one copy (`Array.append(contentsOf: text.utf8)` goes
    /// through the string's generic copy path).
    @inline(__always)
    static func appendUTF8(_ text: String, to output: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ output.append(contentsOf: $0) }) == nil {
            output.append(contentsOf: text.utf8)
        }
    }

    /// `"`, `&`, `'`, `<` and `>` as bits of one word (all are below 64), so a byte is tested
    /// with a shift and a mask.
    static let xhtmlSpecialBits: UInt64 = 0x5000_00C4_0000_0000

    @inline(__always)
    static func isXHTMLSpecial(_ byte: UInt8) -> Bool {
        byte < 64 && xhtmlSpecialBits & (1 << UInt64(byte)) != 0
    }

    /// How many bytes escaping `byte`, a special one, adds: 4 for `&`, 3 for `<` and `>`, 5 for
    /// `"` and `'`.
    @inline(__always)
    static func xhtmlExtraLength(_ byte: UInt8) -> Int {
        byte == UInt8(ascii: "&") ? 4 : byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") ? 3 : 5
    }

    /// The index of the first byte `xhtml_escape` replaces, if any.
    @inline(__always)
    static func firstXHTMLSpecial(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for index in 0..<bytes.count where isXHTMLSpecial(bytes[index]) { return index }
        return nil
    }

    /// How many bytes escaping `bytes` adds: 4 for `&`, 3 for `<` and `>`, 5 for `"` and `'`.
    @inline(__always)
    static func xhtmlExtraLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var extra = 0
        for byte in bytes where isXHTMLSpecial(byte) { extra += xhtmlExtraLength(byte) }
        return extra
    }

    /// Appends `bytes` with `& < > " '` replaced.
    @inline(__always)
    static func appendXHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.appendXHTMLEscaped(bytes)
    }

    /// Appends `number` in decimal.
    static func appendDecimal(_ number: Int, to output: inout [UInt8]) {
        if number < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            output.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
