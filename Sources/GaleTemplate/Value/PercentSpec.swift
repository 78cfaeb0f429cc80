#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One `%` placeholder of ``PercentFormat``: flags, width, precision and conversion, and how
/// it writes a value, as Python's `str % values` does.
struct PercentSpec {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let left = Flags(rawValue: 1)  // -
        static let plus = Flags(rawValue: 2)  // +
        static let space = Flags(rawValue: 4)  // (space)
        static let alternate = Flags(rawValue: 8)  // #
        static let zero = Flags(rawValue: 16)  // 0
    }

    var flags: Flags = []
    var width: Int?
    var precision: Int?
    /// The conversion character's byte (ASCII; anything else is refused when parsing).
    var conversion: UInt8 = UInt8(ascii: "s")

    /// Reads the placeholder after `%` (and its key) from `position`, leaving `position` after
    /// the conversion character.
    init(parsing bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) throws(EvaluationError) {
        flags: while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "-"): flags.insert(.left)
            case UInt8(ascii: "+"): flags.insert(.plus)
            case UInt8(ascii: " "): flags.insert(.space)
            case UInt8(ascii: "#"): flags.insert(.alternate)
            case UInt8(ascii: "0"): flags.insert(.zero)
            default: break flags
            }
            position += 1
        }
        width = Self.number(bytes, &position)
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            precision = Self.number(bytes, &position) ?? 0
        }
        while position < bytes.count,
            bytes[position] == UInt8(ascii: "h") || bytes[position] == UInt8(ascii: "l")
                || bytes[position] == UInt8(ascii: "L")
        {
            position += 1
        }
        guard position < bytes.count else { throw EvaluationError(message: "incomplete format") }
        guard bytes[position] < 0x80 else {
            let scalar = PythonCharacters.scalar(bytes, at: position).scalar
            throw EvaluationError(
                message: "unsupported format character '\(scalar)' (0x\(String(scalar.value, radix: 16)))")
        }
        conversion = bytes[position]
        position += 1
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> Int? {
        var value: Int?
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            value = min((value ?? 0) * 10 + Int(bytes[position] - UInt8(ascii: "0")), 10_000)  // no wider placeholder
            position += 1
        }
        return value
    }

    /// Writes `value` as this placeholder formats it; on an error nothing is written (every
    /// check comes before the first write).
    func write<Output: ByteOutput>(_ value: TemplateValue, to output: inout Output) throws(EvaluationError) {
        switch conversion {
        case UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "a"):
            if conversion == UInt8(ascii: "s"), width == nil, precision == nil {
                writeText(value, to: &output)  // the common `%s`, without measuring
                return
            }
            let text: String
            switch (conversion, value) {
            case (UInt8(ascii: "s"), _): text = value.text
            case (UInt8(ascii: "r"), .string(let string)): text = TemplateValue.pythonQuote(string)
            case (UInt8(ascii: "a"), .string(let string)): text = Self.ascii(TemplateValue.pythonQuote(string))
            case (UInt8(ascii: "a"), _): text = Self.ascii(value.text)
            default: text = value.text
            }
            PythonCharacters.withUTF8(text) { bytes in
                var shown = bytes
                if let precision {
                    let end = Self.byteOffset(ofCodePoint: precision, in: bytes)
                    shown = UnsafeBufferPointer(rebasing: bytes[..<end])
                }
                padded(&output, length: PythonCharacters.codePointCount(shown), numeric: false) { $0.append(shown) }
            }
        case UInt8(ascii: "d"), UInt8(ascii: "i"), UInt8(ascii: "u"), UInt8(ascii: "x"), UInt8(ascii: "X"),
            UInt8(ascii: "o"):
            let decimal =
                conversion == UInt8(ascii: "d") || conversion == UInt8(ascii: "i") || conversion == UInt8(ascii: "u")
            let integer: Int
            switch value {
            case .int(let number): integer = number
            case .bool(let flag): integer = flag ? 1 : 0
            case .double(let number) where number.isFinite && abs(number) < 9e18 && decimal: integer = Int(number)
            default:
                throw EvaluationError(
                    message:
                        "%\(Character(Unicode.Scalar(conversion))) format: \(decimal ? "a real number" : "an integer") is required, not \(value.typeName)"
                )
            }
            let radix: UInt = conversion == UInt8(ascii: "o") ? 8 : decimal ? 10 : 16
            let uppercase = conversion == UInt8(ascii: "X")
            // `0x`, `0X` or `0o` with `#`: zero padding goes after it.
            let marker: UInt8? =
                flags.contains(.alternate) && !decimal
                ? (radix == 8 ? UInt8(ascii: "o") : uppercase ? UInt8(ascii: "X") : UInt8(ascii: "x")) : nil
            Self.withDigits(integer.magnitude, radix: radix, uppercase: uppercase) { digits in
                let zeros = max((precision ?? 1) - digits.count, 0)
                let prefix = marker == nil ? 0 : 2
                padded(
                    &output, length: prefix + zeros + digits.count, sign: sign(negative: integer < 0), numeric: true,
                    prefix: { output in
                        if let marker {
                            output.append(UInt8(ascii: "0"))
                            output.append(marker)
                        }
                    }
                ) { output in
                    for _ in 0..<zeros { output.append(UInt8(ascii: "0")) }
                    output.append(digits)
                }
            }
        case UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "g"),
            UInt8(ascii: "G"):
            let number: Double
            switch value {
            case .double(let double): number = double
            case .int(let integer): number = Double(integer)
            case .bool(let flag): number = flag ? 1 : 0
            default:
                throw EvaluationError(
                    message:
                        "%\(Character(Unicode.Scalar(conversion))) format: a real number is required, not \(value.typeName)"
                )
            }
            // 512 bytes hold any double with 100 decimals (the most allowed).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buffer in
                guard let base = buffer.baseAddress else { return }
                var body = FixedUTF8Output(base, capacity: buffer.count)
                let uppercase = conversion < UInt8(ascii: "a")
                if number.isNaN {
                    body.append(uppercase ? "NAN" : "nan")
                } else if number.isInfinite {
                    body.append(uppercase ? "INF" : "inf")
                } else {
                    let precision = min(precision ?? 6, 100)
                    let alternate = flags.contains(.alternate)
                    if conversion | 0x20 != UInt8(ascii: "f")
                        || !FixedPoint.append(number.magnitude, precision: precision, alternate: alternate, to: &body)
                    {
                        appendC(number.magnitude, precision: precision, alternate: alternate, to: &body)
                    }
                }
                let written = UnsafeBufferPointer(start: base, count: body.count)
                padded(
                    &output, length: written.count, sign: sign(negative: number.sign == .minus && !number.isNaN),
                    numeric: true
                ) { $0.append(written) }
            }
        case UInt8(ascii: "c"):
            let text: String
            switch value {
            case .int(let code):
                guard code >= 0, let scalar = Unicode.Scalar(UInt32(clamping: code)) else {
                    throw EvaluationError(message: "%c arg not in range(0x110000)")
                }
                text = String(scalar)
            case .string(let string) where string.unicodeScalars.count == 1:
                text = string
            default:
                throw EvaluationError(message: "%c requires an int or a single character")
            }
            PythonCharacters.withUTF8(text) { bytes in padded(&output, length: 1, numeric: false) { $0.append(bytes) } }
        default:
            throw EvaluationError(
                message:
                    "unsupported format character '\(Character(Unicode.Scalar(conversion)))' (0x\(String(conversion, radix: 16)))"
            )
        }
    }

    /// `str(value)` straight into the output.
    private func writeText<Output: ByteOutput>(_ value: TemplateValue, to output: inout Output) {
        switch value {
        case .int(let number):
            Self.withDigits(number.magnitude, radix: 10, uppercase: false) { digits in
                if number < 0 { output.append(UInt8(ascii: "-")) }
                output.append(digits)
            }
        default:
            PythonCharacters.withUTF8(value.text) { output.append($0) }
        }
    }

    private func sign(negative: Bool) -> UInt8? {
        negative
            ? UInt8(ascii: "-")
            : flags.contains(.plus) ? UInt8(ascii: "+") : flags.contains(.space) ? UInt8(ascii: " ") : nil
    }

    /// Writes `sign`, `prefix` and `body` (`length` code points between them, without the sign)
    /// padded to the width: spaces on the right with `-`, zeros after the sign and prefix with
    /// `0` (numbers only), else spaces on the left.
    private func padded<Output: ByteOutput>(
        _ output: inout Output, length: Int, sign: UInt8? = nil, numeric: Bool,
        prefix: (inout Output) -> Void = { _ in }, body: (inout Output) -> Void
    ) {
        let fill = max((width ?? 0) - length - (sign == nil ? 0 : 1), 0)
        let left = flags.contains(.left)
        let zeros = numeric && !left && flags.contains(.zero)
        if !left && !zeros { for _ in 0..<fill { output.append(UInt8(ascii: " ")) } }
        if let sign { output.append(sign) }
        prefix(&output)
        if zeros { for _ in 0..<fill { output.append(UInt8(ascii: "0")) } }
        body(&output)
        if left { for _ in 0..<fill { output.append(UInt8(ascii: " ")) } }
    }

    /// Where code point `index` of `bytes` starts (the end when there are fewer).
    private static func byteOffset(ofCodePoint index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var seen = 0
        for position in 0..<bytes.count where bytes[position] & 0xC0 != 0x80 {
            if seen == index { return position }
            seen += 1
        }
        return bytes.count
    }

    /// Python's `ascii()` of a `repr`: non-ASCII as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
    private static func ascii(_ text: String) -> String {
        var output: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                output.append(UInt8(scalar.value))
                continue
            }
            let (marker, digits): (UInt8, Int) =
                scalar.value < 0x100
                ? (UInt8(ascii: "x"), 2) : scalar.value < 0x10000 ? (UInt8(ascii: "u"), 4) : (UInt8(ascii: "U"), 8)
            output.append(UInt8(ascii: "\\"))
            output.append(marker)
            withDigits(UInt(scalar.value), radix: 16, uppercase: false) { hex in
                for _ in 0..<max(digits - hex.count, 0) { output.append(UInt8(ascii: "0")) }
                output.append(hex)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Calls `body` with the digits of `value` in `radix` (8, 10 or 16), made on the stack.
    @inline(__always)
    static func withDigits<Result>(
        _ value: UInt, radix: UInt, uppercase: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        // 22 octal digits hold any UInt; the digits are made last first, from the end.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var position = digits.count
            var rest = value
            let letters = uppercase ? UInt8(ascii: "A") - 10 : UInt8(ascii: "a") - 10
            repeat {
                position -= 1
                let digit = UInt8(truncatingIfNeeded: rest % radix)
                digits[position] = digit < 10 ? UInt8(ascii: "0") + digit : letters + digit
                rest /= radix
            } while rest > 0
            return body(UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    /// C's `printf` for `%e`, `%g` and what ``FixedPoint`` does not take; Python's `%` gives
    /// the same digits. `value` is finite and not negative.
    private func appendC<Output: ByteOutput>(
        _ value: Double, precision: Int, alternate: Bool, to output: inout Output
    ) {
        // "%.*f" or "%#.*f" with this conversion, as a C string.
        var format: (CChar, CChar, CChar, CChar, CChar, CChar) = (0x25, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &format) { bytes in
            var index = 1
            if alternate {
                bytes[index] = UInt8(ascii: "#")
                index += 1
            }
            bytes[index] = UInt8(ascii: ".")
            bytes[index + 1] = UInt8(ascii: "*")
            bytes[index + 2] = conversion
        }
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            let written = withUnsafePointer(to: format) { formatPointer in
                formatPointer.withMemoryRebound(to: CChar.self, capacity: 6) { format in
                    withVaList([Int32(precision), value]) { vsnprintf(buffer.baseAddress, buffer.count, format, $0) }
                }
            }
            // 512 bytes hold any double with 100 decimals.
            guard written > 0 else { return }
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                output.append(UnsafeBufferPointer(rebasing: bytes[..<min(Int(written), bytes.count - 1)]))
            }
        }
    }
}
