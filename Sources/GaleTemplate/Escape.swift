/// Tornado's `tornado.escape` helpers that templates use: HTML, URL and JSON escaping,
/// `squeeze` and `linkify`.
public enum Escape {
    /// Escapes `&`, `<`, `>`, `"` and `'` so `text` is inert inside HTML text and attributes.
    /// Tornado: `xhtml_escape`.
    public static func xhtmlEscape(_ text: String) -> String {
        guard
            text.utf8.contains(where: {
                $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                    || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
            })
        else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        var copy = text
        copy.withUTF8 { appendXHTMLEscaped($0, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes `text` for a URL; `plus` turns spaces into `+` (a query value) rather
    /// than `%20` (a path). Tornado: `url_escape(value, plus=True)`.
    public static func urlEscape(_ text: String, plus: Bool = true) -> String {
        percentEncode(text, plus: plus, keepSlash: !plus)
    }

    /// Percent-encodes all but unreserved bytes; with `plus`, a space becomes `+`, with
    /// `keepSlash`, `/` stays. Gale's `URLEncoding.encode` is this too.
    package static func percentEncode(_ text: some StringProtocol, plus: Bool, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            case UInt8(ascii: " ") where plus:
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// JSON for `value`, with `</` written `<\/` so it is safe inside a `<script>`.
    /// Tornado: `json_encode`.
    public static func jsonEncode(_ value: TemplateValue) -> String {
        var out = ""
        appendJSON(value, to: &out)
        return out
    }

    private static func appendJSON(_ value: TemplateValue, to out: inout String) {
        switch value {
        case .none: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .double(let number):  // Python's json.dumps writes NaN and Infinity, as JavaScript reads them
            out +=
                number.isNaN
                ? "NaN"
                : number.isInfinite ? (number < 0 ? "-Infinity" : "Infinity") : TemplateValue.pythonFloat(number)
        case .string(let text): appendJSONString(text, to: &out)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                appendJSON(item, to: &out)
            }
            out += "]"
        case .dictionary(let dictionary):
            out += "{"
            for (index, pair) in dictionary.items.enumerated() {
                if index > 0 { out += ", " }
                appendJSONString(pair.key, to: &out)
                out += ": "
                appendJSON(pair.value, to: &out)
            }
            out += "}"
        case .function, .object: appendJSONString(value.text, to: &out)
        }
    }

    /// Python's `json.dumps` string form (non-ASCII as `\uXXXX`), then `</` as `<\/`.
    private static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "/" where previous == "<": out += "\\/"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7e {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        out += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let text = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - text.count) + text
    }

    /// Every whitespace run as one space, trimmed. Tornado: `squeeze`.
    public static func squeeze(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `text` escaped, with `http://`, `https://` and `www.` links made into anchors.
    /// Tornado: `linkify(text)` with its defaults (no `extra_params`, `shorten=False`).
    public static func linkify(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = firstLinkStart(in: rest) {
            out += xhtmlEscape(String(rest[..<start]))
            var end = rest[start...].firstIndex { $0.isWhitespace || "<>\"'".contains($0) } ?? rest.endIndex
            while end > start, ".,;:!?)".contains(rest[rest.index(before: end)]) { end = rest.index(before: end) }
            let url = String(rest[start..<end])
            let href = url.lowercased().hasPrefix("www.") ? "http://" + url : url
            out += "<a href=\"" + xhtmlEscape(href) + "\">" + xhtmlEscape(url) + "</a>"
            rest = rest[end...]
        }
        out += xhtmlEscape(String(rest))
        return out
    }

    private static func firstLinkStart(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let tail = text[index...].prefix(8).lowercased()
            let atWordStart = index == text.startIndex || !text[text.index(before: index)].isLetter
            if atWordStart && (tail.hasPrefix("http://") || tail.hasPrefix("https://") || tail.hasPrefix("www.")) {
                return index
            }
            index = text.index(after: index)
        }
        return nil
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

    /// Appends `bytes` with `& < > " '` replaced, copying the runs between them whole.
    static func appendXHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // Most values have nothing to escape: find the first byte that needs it with a bit test
        // (all five are below 64), and copy a clean value whole.
        let special: UInt64 = 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C | 1 << 0x3E
        var first = 0
        while first < bytes.count, bytes[first] >= 64 || special >> bytes[first] & 1 == 0 { first += 1 }
        guard first < bytes.count else {
            output.append(contentsOf: bytes)
            return
        }
        var start = 0
        for index in first..<bytes.count {
            let replacement: StaticString
            switch bytes[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#x27;"
            default: continue
            }
            if start < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
            replacement.withUTF8Buffer { output.append(contentsOf: $0) }
            start = index + 1
        }
        if start < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
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
