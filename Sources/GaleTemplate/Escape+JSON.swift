extension Escape {
    /// JSON for `value`, with `</` written `<\/` so it is safe inside a `<script>`.
    /// Tornado: `json_encode` (`json.dumps(value).replace("</", "<\/")`): `", "` and `": "`
    /// between items, every character outside printable ASCII as `\uXXXX` (a surrogate pair
    /// above U+FFFF), `NaN` and `Infinity` as JavaScript reads them.
    ///
    /// Written into 2 KiB on the stack first; a longer result is written again into an array.
    public static func jsonEncode(_ value: TemplateValue) -> String {
        let short = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2_048) { buffer -> String? in
            guard let base = buffer.baseAddress else { return nil }
            var output = BoundedUTF8Output(base, capacity: buffer.count)
            appendJSON(value, to: &output)
            return output.overflowed ? nil : String(copying: base, count: output.count)
        }
        if let short { return short }
        var output: [UInt8] = []
        output.reserveCapacity(4_096)
        appendJSON(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `value` as `json_encode` writes it, `NaN` and `Infinity` included.
    static func appendJSON<Output: ByteOutput>(_ value: TemplateValue, to output: inout Output) {
        // Not strict: nothing is refused, so nothing is thrown.
        try? appendJSON(value, to: &output, strict: false)
    }

    /// Appends `value` as JSON, byte for byte what Tornado's `write(dict)` sends for the same
    /// data (`json_encode`): the response and WebSocket writers' one path. Strict: a value
    /// JSON has no form for (a non-finite float, a function or object) throws, where
    /// `json_encode` in a template writes `NaN` or the value's text. A throw may leave part of
    /// the value in `output`; the caller drops it.
    ///
    /// Written into 4 KiB on the stack first, then appended in one piece: growing `output` a
    /// few bytes at a time would reallocate it several times for a body of a kilobyte.
    package static func appendStrictJSON(_ value: TemplateValue, to output: inout [UInt8]) throws(JSONEncodingError) {
        let short = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4_096) {
            buffer -> Result<Bool, JSONEncodingError> in
            guard let base = buffer.baseAddress else { return .success(false) }
            var bounded = BoundedUTF8Output(base, capacity: buffer.count)
            do throws(JSONEncodingError) {
                try appendJSON(value, to: &bounded, strict: true)
            } catch {
                return .failure(error)
            }
            if bounded.overflowed { return .success(false) }
            output.append(contentsOf: UnsafeBufferPointer(start: base, count: bounded.count))
            return .success(true)
        }
        if try short.get() { return }
        output.reserveCapacity(output.count + 16_384)
        try appendJSON(value, to: &output, strict: true)
    }

    private static func appendJSON<Output: ByteOutput>(
        _ value: TemplateValue, to output: inout Output, strict: Bool
    ) throws(JSONEncodingError) {
        switch value {
        case .none: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let number):
            PercentSpec.withDigits(number.magnitude, radix: 10, uppercase: false) { digits in
                if number < 0 { output.append(UInt8(ascii: "-")) }
                output.append(digits)
            }
        case .double(let number):
            if !number.isFinite {
                if strict {
                    throw JSONEncodingError(
                        reason: "\(TemplateValue.pythonFloat(number)) (JSON has no NaN or Infinity)")
                }
                output.append(number.isNaN ? "NaN" : number < 0 ? "-Infinity" : "Infinity")
            } else {
                // Without an exponent, Swift's shortest form is Python's repr (3.25, 100.0, -0.0);
                // with one, Python writes it differently (1e+16, 1e-05).
                var text = number.description
                let plain = text.withUTF8 { bytes in
                    guard !bytes.contains(UInt8(ascii: "e")) else { return false }
                    output.append(bytes)
                    return true
                }
                if !plain { PythonCharacters.withUTF8(TemplateValue.pythonFloat(number)) { output.append($0) } }
            }
        case .string(let text): appendJSONString(text, to: &output)
        case .list(let items):
            output.append(UInt8(ascii: "["))
            for index in items.indices {
                if index > 0 { output.append(", ") }
                do {
                    try appendJSON(items[index], to: &output, strict: strict)
                } catch {
                    throw error.inside(.index(index))
                }
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            output.append(UInt8(ascii: "{"))
            // Keys and values side by side, in order: `items` would copy every pair into a new
            // array first, and looking each key up again would compare keys.
            let keys = dictionary.keys
            let values = dictionary.orderedValues
            for index in keys.indices {
                if index > 0 { output.append(", ") }
                appendJSONString(keys[index], to: &output)
                output.append(": ")
                do {
                    try appendJSON(values[index], to: &output, strict: strict)
                } catch {
                    throw error.inside(.key(keys[index]))
                }
            }
            output.append(UInt8(ascii: "}"))
        case .function(let function):
            if strict { throw JSONEncodingError(reason: "the template function \(function.name)") }
            appendJSONString(value.text, to: &output)
        case .object:
            if strict { throw JSONEncodingError(reason: "a template object (\(value.typeName))") }
            appendJSONString(value.text, to: &output)
        }
    }

    /// Python's `json.dumps` string (`ensure_ascii`), then `</` as `<\/`: runs of plain bytes
    /// are copied whole.
    private static func appendJSONString<Output: ByteOutput>(_ text: String, to output: inout Output) {
        output.append(UInt8(ascii: "\""))
        PythonCharacters.withUTF8(text) { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if !needsLook(byte)
                    || (byte == UInt8(ascii: "/") && (index == 0 || bytes[index - 1] != UInt8(ascii: "<")))
                {
                    index += 1
                    continue
                }
                output.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                var length = 1
                switch byte {
                case UInt8(ascii: "\""): output.append("\\\"")
                case UInt8(ascii: "\\"): output.append("\\\\")
                case UInt8(ascii: "/"): output.append("\\/")
                case UInt8(ascii: "\n"): output.append("\\n")
                case UInt8(ascii: "\r"): output.append("\\r")
                case UInt8(ascii: "\t"): output.append("\\t")
                case 0x08: output.append("\\b")
                case 0x0C: output.append("\\f")
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
            output.append(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Controls, `"`, `/` (escaped after `<`), `\\`, DEL and every byte past ASCII, as bits of
    /// two words (bytes below 64, then 64 to 127).
    private static let jsonLookLow: UInt64 = 0x8004_FFFF_FFFF
    private static let jsonLookHigh: UInt64 = 0x8000_0000_1000_0000

    @inline(__always)
    private static func needsLook(_ byte: UInt8) -> Bool {
        byte < 64
            ? jsonLookLow & (1 << UInt64(byte)) != 0 : byte >= 128 || jsonLookHigh & (1 << UInt64(byte - 64)) != 0
    }

    /// `\u` and four lowercase hexadecimal digits, as Python writes them.
    private static func appendUnicodeEscape<Output: ByteOutput>(_ unit: UInt16, to output: inout Output) {
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
