extension Escape {
    /// JSON for `value`, with `</` written `<\/` so it is safe inside a `<script>`.
    /// Tornado: `json_encode` (`json.dumps(value).replace("</", "<\/")`): `", "` and `": "`
    /// between items, every character outside printable ASCII as `\uXXXX` (a surrogate pair
    /// above U+FFFF), `NaN` and `Infinity` as JavaScript reads them.
    public static func jsonEncode(_ value: TemplateValue) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        appendJSON(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `value` as `json_encode` writes it.
    static func appendJSON(_ value: TemplateValue, to output: inout [UInt8]) {
        switch value {
        case .none: append("null", to: &output)
        case .bool(let flag): append(flag ? "true" : "false", to: &output)
        case .int(let number): appendDecimal(number, to: &output)
        case .double(let number):
            if number.isNaN {
                append("NaN", to: &output)
            } else if number.isInfinite {
                append(number < 0 ? "-Infinity" : "Infinity", to: &output)
            } else {
                TemplateValue.appendPythonFloat(number, to: &output)
            }
        case .string(let text): appendJSONString(text, to: &output)
        case .list(let items):
            output.append(UInt8(ascii: "["))
            for index in items.indices {
                if index > 0 { append(", ", to: &output) }
                appendJSON(items[index], to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            output.append(UInt8(ascii: "{"))
            for (index, pair) in dictionary.items.enumerated() {
                if index > 0 { append(", ", to: &output) }
                appendJSONString(pair.key, to: &output)
                append(": ", to: &output)
                appendJSON(pair.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .function, .object: appendJSONString(value.text, to: &output)
        }
    }

    @inline(__always)
    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Python's `json.dumps` string (`ensure_ascii`), then `</` as `<\/`; runs of plain bytes
    /// are copied whole.
    private static func appendJSONString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        PythonCharacters.withUTF8(text) { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
                    && !(byte == UInt8(ascii: "/") && index > 0 && bytes[index - 1] == UInt8(ascii: "<"))
                {
                    index += 1
                    continue
                }
                if start < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                var length = 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"", to: &output)
                case UInt8(ascii: "\\"): append("\\\\", to: &output)
                case UInt8(ascii: "/"): append("\\/", to: &output)
                case UInt8(ascii: "\n"): append("\\n", to: &output)
                case UInt8(ascii: "\r"): append("\\r", to: &output)
                case UInt8(ascii: "\t"): append("\\t", to: &output)
                case 0x08: append("\\b", to: &output)
                case 0x0C: append("\\f", to: &output)
                default:
                    let (scalar, scalarLength) = PythonCharacters.scalar(bytes, at: index)
                    length = scalarLength
                    if scalar.value > 0xFFFF {
                        let offset = scalar.value - 0x10000
                        appendUnicodeEscape(UInt16(0xD800 + (offset >> 10)), to: &output)
                        appendUnicodeEscape(UInt16(0xDC00 + (offset & 0x3FF)), to: &output)
                    } else {
                        appendUnicodeEscape(UInt16(scalar.value), to: &output)
                    }
                }
                index += length
                start = index
            }
            if start < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// `\u` and four lowercase hexadecimal digits, as Python writes them.
    private static func appendUnicodeEscape(_ unit: UInt16, to output: inout [UInt8]) {
        @inline(__always) func digit(_ value: UInt16) -> UInt8 {
            let nibble = UInt8(value & 0xF)
            return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
        output.append(UInt8(ascii: "\\"))
        output.append(UInt8(ascii: "u"))
        output.append(digit(unit >> 12))
        output.append(digit(unit >> 8))
        output.append(digit(unit >> 4))
        output.append(digit(unit))
    }
}
