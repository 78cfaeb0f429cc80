/// Python's `format % mapping` for the named placeholders Tornado's locale strings use:
/// `%(name)s`, `%(name)d` (also `i`), with optional flags (`-`, `0`, `+`, space), width and
/// precision, and `%%`.
///
/// Tornado applies `%` to *translated* strings (`_("yesterday at %(time)s") % {...}`), so a
/// translator's typo (`%(tme)s`, `%(time)d`, a lone `%`) raises `KeyError` or `TypeError` in the
/// middle of a request there. Here a placeholder that cannot be filled stays in the output as
/// written, and the rest of the string is still formatted.
enum PercentFormat {
    /// A value for a placeholder.
    enum Value {
        case string(String)
        case int(Int)
    }

    static func format(_ template: String, _ values: [String: Value]) -> String {
        let scalars = Array(template.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "%" else {
                output.append(scalars[index])
                index += 1
                continue
            }
            if index + 1 < scalars.count, scalars[index + 1] == "%" {
                output.append("%")
                index += 2
                continue
            }
            if let (text, next) = placeholder(scalars, at: index, values) {
                output.append(contentsOf: text.unicodeScalars)
                index = next
            } else {
                output.append("%")
                index += 1
            }
        }
        return String(output)
    }

    /// The text for the placeholder starting with the `%` at `start` and the index after it,
    /// or `nil` when it is malformed or cannot be filled.
    private static func placeholder(
        _ scalars: [Unicode.Scalar], at start: Int, _ values: [String: Value]
    ) -> (String, Int)? {
        var index = start + 1
        guard index < scalars.count, scalars[index] == "(" else { return nil }
        // The key runs to the matching parenthesis, as in Python.
        var depth = 1
        var key = String.UnicodeScalarView()
        index += 1
        while index < scalars.count {
            if scalars[index] == "(" { depth += 1 }
            if scalars[index] == ")" {
                depth -= 1
                if depth == 0 { break }
            }
            key.append(scalars[index])
            index += 1
        }
        guard index < scalars.count, let value = values[String(key)] else { return nil }
        index += 1
        var flags = Set<Unicode.Scalar>()
        while index < scalars.count, "-+ #0".unicodeScalars.contains(scalars[index]) {
            flags.insert(scalars[index])
            index += 1
        }
        let width = number(scalars, &index)
        var precision: Int?
        if index < scalars.count, scalars[index] == "." {
            index += 1
            precision = number(scalars, &index) ?? 0
        }
        while index < scalars.count, "hlL".unicodeScalars.contains(scalars[index]) { index += 1 }
        guard index < scalars.count else { return nil }
        let body: String
        var zeroPad = false
        switch (scalars[index], value) {
        case ("s", .string(let text)):
            body = precision.map { String(String.UnicodeScalarView(text.unicodeScalars.prefix($0))) } ?? text
        case ("s", .int(let integer)):
            body = precision.map { String("\(integer)".prefix($0)) } ?? "\(integer)"
        case ("d", .int(let integer)), ("i", .int(let integer)):
            var digits = "\(integer.magnitude)"
            if let precision, digits.count < precision {
                digits = String(repeating: "0", count: precision - digits.count) + digits
            }
            let sign = integer < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : ""
            zeroPad = flags.contains("0") && !flags.contains("-")
            if zeroPad, let width, sign.count + digits.count < width {
                digits = String(repeating: "0", count: width - sign.count - digits.count) + digits
            }
            body = sign + digits
        default:
            return nil
        }
        return (pad(body, width: width, left: flags.contains("-")), index + 1)
    }

    private static func number(_ scalars: [Unicode.Scalar], _ index: inout Int) -> Int? {
        var value: Int?
        while index < scalars.count, let digit = Int(String(scalars[index])), scalars[index].isASCII {
            value = min((value ?? 0) * 10 + digit, 10_000)  // no placeholder is wider than this
            index += 1
        }
        return value
    }

    private static func pad(_ text: String, width: Int?, left: Bool) -> String {
        let count = text.unicodeScalars.count
        guard let width, count < width else { return text }
        let spaces = String(repeating: " ", count: width - count)
        return left ? text + spaces : spaces + text
    }
}
