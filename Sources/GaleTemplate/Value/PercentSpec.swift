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

    /// Writes `value` as this placeholder formats it; on an error nothing is written.
    func write(_ value: TemplateValue, to output: inout [UInt8]) throws(EvaluationError) {
        let mark = output.count
        switch conversion {
        case UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "a"):
            switch (conversion, value) {
            case (UInt8(ascii: "s"), _): value.write(to: &output)
            case (UInt8(ascii: "r"), .string(let text)): output.append(contentsOf: TemplateValue.pythonQuote(text).utf8)
            case (UInt8(ascii: "a"), .string(let text)): Self.appendASCII(TemplateValue.pythonQuote(text), to: &output)
            case (UInt8(ascii: "a"), _): Self.appendASCII(value.text, to: &output)
            default: value.write(to: &output)
            }
            if let precision { Self.truncate(&output, from: mark, toCodePoints: precision) }
            pad(&output, from: mark, sign: nil, numeric: false)
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
            var prefix = 0  // `0x` or `0o`, which zero padding goes after
            if flags.contains(.alternate) && !decimal {
                output.append(UInt8(ascii: "0"))
                output.append(radix == 8 ? UInt8(ascii: "o") : uppercase ? UInt8(ascii: "X") : UInt8(ascii: "x"))
                prefix = 2
            }
            Self.appendDigits(
                integer.magnitude, radix: radix, uppercase: uppercase, minimumDigits: precision ?? 1, to: &output)
            pad(&output, from: mark, sign: sign(negative: integer < 0), numeric: true, prefix: prefix)
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
            let uppercase = conversion < UInt8(ascii: "a")
            if number.isNaN {
                output.append(contentsOf: (uppercase ? "NAN" : "nan").utf8)
            } else if number.isInfinite {
                output.append(contentsOf: (uppercase ? "INF" : "inf").utf8)
            } else {
                let precision = min(precision ?? 6, 100)
                let alternate = flags.contains(.alternate)
                if conversion | 0x20 != UInt8(ascii: "f")
                    || !FixedPoint.append(number.magnitude, precision: precision, alternate: alternate, to: &output)
                {
                    appendC(number.magnitude, precision: precision, alternate: alternate, to: &output)
                }
            }
            pad(&output, from: mark, sign: sign(negative: number.sign == .minus && !number.isNaN), numeric: true)
        case UInt8(ascii: "c"):
            switch value {
            case .int(let code):
                guard code >= 0, let scalar = Unicode.Scalar(UInt32(clamping: code)) else {
                    throw EvaluationError(message: "%c arg not in range(0x110000)")
                }
                output.append(contentsOf: String(scalar).utf8)
            case .string(let text) where text.unicodeScalars.count == 1:
                output.append(contentsOf: text.utf8)
            default:
                throw EvaluationError(message: "%c requires an int or a single character")
            }
            pad(&output, from: mark, sign: nil, numeric: false)
        default:
            throw EvaluationError(
                message:
                    "unsupported format character '\(Character(Unicode.Scalar(conversion)))' (0x\(String(conversion, radix: 16)))"
            )
        }
    }

    private func sign(negative: Bool) -> UInt8? {
        negative
            ? UInt8(ascii: "-")
            : flags.contains(.plus) ? UInt8(ascii: "+") : flags.contains(.space) ? UInt8(ascii: " ") : nil
    }

    /// Puts the sign before what was written from `mark`, then pads to the width: zeros after
    /// the sign (flag `0`, numbers only, not with `-`), else spaces on the left, or on the right
    /// with `-`. The width counts code points.
    private func pad(_ output: inout [UInt8], from mark: Int, sign: UInt8?, numeric: Bool, prefix: Int = 0) {
        let signLength = sign == nil ? 0 : 1
        let length =
            signLength
            + (numeric
                ? output.count - mark
                : output.withUnsafeBufferPointer {
                    PythonCharacters.codePointCount(UnsafeBufferPointer(rebasing: $0[mark...]))
                })
        guard let width, length < width else {
            if let sign { output.insert(sign, at: mark) }
            return
        }
        let fill = width - length
        if flags.contains(.left) {
            if let sign { output.insert(sign, at: mark) }
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: fill))
        } else if numeric && flags.contains(.zero) {
            output.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: fill), at: mark + prefix)
            if let sign { output.insert(sign, at: mark) }
        } else {
            if let sign { output.insert(sign, at: mark) }
            output.insert(contentsOf: repeatElement(UInt8(ascii: " "), count: fill), at: mark)
        }
    }

    /// Cuts what was written from `mark` to its first `count` code points.
    private static func truncate(_ output: inout [UInt8], from mark: Int, toCodePoints count: Int) {
        var seen = 0
        for index in mark..<output.count where output[index] & 0xC0 != 0x80 {
            if seen == count {
                output.removeSubrange(index...)
                return
            }
            seen += 1
        }
    }

    /// Python's `ascii()` of a `repr`: non-ASCII as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
    private static func appendASCII(_ text: String, to output: inout [UInt8]) {
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
            appendDigits(UInt(scalar.value), radix: 16, uppercase: false, minimumDigits: digits, to: &output)
        }
    }

    /// `value` in `radix`, zero-padded to `minimumDigits`.
    static func appendDigits(
        _ value: UInt, radix: UInt, uppercase: Bool, minimumDigits: Int, to output: inout [UInt8]
    ) {
        let start = output.count
        var rest = value
        repeat {
            let digit = UInt8(rest % radix)
            output.append(
                digit < 10
                    ? UInt8(ascii: "0") + digit : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + digit - 10)
            rest /= radix
        } while rest > 0
        while output.count - start < minimumDigits { output.append(UInt8(ascii: "0")) }
        output[start...].reverse()
    }

    /// C's `printf` for `%e`, `%g` and what ``FixedPoint`` does not take; Python's `%` gives
    /// the same digits. `value` is finite and not negative.
    private func appendC(_ value: Double, precision: Int, alternate: Bool, to output: inout [UInt8]) {
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
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: min(Int(written), buffer.count - 1))
            output.append(contentsOf: bytes)
        }
    }
}
