/// The few pieces of Python's `str` behaviour that Tornado's locale code leans on, so that
/// Gale reads the same files and headers the same way: `str.strip()` and `float(str)`.
enum PythonText {
    /// `str.isspace()` for one scalar: Unicode `White_Space` plus the four information
    /// separators U+001C...U+001F, which Python also counts as whitespace.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    /// `str.strip()` with no argument.
    static func strip(_ text: some StringProtocol) -> String {
        let scalars = String(text).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// `float(text)`: surrounding whitespace, an optional sign, `inf`/`infinity`/`nan` in any
    /// case, decimal digits from any script, single underscores between digits, an optional
    /// fraction and exponent. `nil` where Python raises `ValueError` (hexadecimal included).
    static func float(_ text: some StringProtocol) -> Double? {
        var ascii: [UInt8] = []
        for scalar in strip(text).unicodeScalars {
            if scalar.isASCII {
                ascii.append(UInt8(scalar.value))
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue {
                ascii.append(UInt8(ascii: "0") + UInt8(value))
            } else {
                return nil
            }
        }
        var index = 0
        var negative = false
        if index < ascii.count, ascii[index] == UInt8(ascii: "+") || ascii[index] == UInt8(ascii: "-") {
            negative = ascii[index] == UInt8(ascii: "-")
            index += 1
        }
        let word = String(decoding: ascii[index...], as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" { return negative ? -.infinity : .infinity }
        if word == "nan" { return .nan }
        guard let number = decimalNumber(ascii[index...]), let value = Double(number) else { return nil }
        return negative ? -value : value
    }

    /// Checks `digits [. [digits]] [e [sign] digits]` or `. digits [...]` and returns it
    /// without underscores, ready for `Double(_:)`.
    private static func decimalNumber(_ bytes: ArraySlice<UInt8>) -> String? {
        var output = ""
        var index = bytes.startIndex

        func digitRun() -> Bool {
            let start = index
            while index < bytes.endIndex {
                let byte = bytes[index]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                    output.unicodeScalars.append(Unicode.Scalar(byte))
                } else if byte == UInt8(ascii: "_"), index > start, index + 1 < bytes.endIndex,
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1])
                {
                    // An underscore only between two digits (PEP 515).
                } else {
                    break
                }
                index += 1
            }
            return index > start
        }

        let integerDigits = digitRun()
        var fractionDigits = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            output += "."
            index += 1
            fractionDigits = digitRun()
        }
        guard integerDigits || fractionDigits else { return nil }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            output += "e"
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                output.unicodeScalars.append(Unicode.Scalar(bytes[index]))
                index += 1
            }
            guard digitRun() else { return nil }
        }
        return index == bytes.endIndex ? output : nil
    }
}
