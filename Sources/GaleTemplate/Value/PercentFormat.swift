#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Python's `format % values` (printf-style formatting). Templates use it as an operator
/// (`{{ _("%(name)s liked this") % {"name": user} }}`); `Locale` fills its translated patterns
/// with `format(_:_:)`.
public enum PercentFormat {
    /// Fills named placeholders (`%(name)s`, `%(count)d`, with flags, width and precision)
    /// leniently: a placeholder that cannot be filled (a translator's typo such as `%(tme)s` or
    /// `%(time)d` for text, a lone `%`) stays as written, and the rest is still formatted. Tornado
    /// raises mid-request there instead.
    public static func format(_ template: String, _ values: [String: TemplateValue]) -> String {
        (try? run(template, .named(values), lenient: true)) ?? template
    }

    /// Python's `%` operator, strictly: a dictionary fills named placeholders, a list the
    /// positional ones in order (templates have no tuples), anything else the only one.
    static func apply(_ template: String, _ argument: TemplateValue) throws(EvaluationError) -> String {
        switch argument {
        case .dictionary(let dictionary):
            var values: [String: TemplateValue] = [:]
            for (key, value) in dictionary.items { values[key] = value }
            return try run(template, .named(values), lenient: false, single: argument)
        case .list(let items):
            return try run(template, .positional(items), lenient: false)
        default:
            return try run(template, .positional([argument]), lenient: false)
        }
    }

    private enum Arguments {
        case named([String: TemplateValue])
        case positional([TemplateValue])
    }

    private struct Spec {
        var flags: Set<Unicode.Scalar> = []
        var width: Int?
        var precision: Int?
        var conversion: Unicode.Scalar = "s"
    }

    private static func run(
        _ template: String, _ arguments: Arguments, lenient: Bool, single: TemplateValue? = nil
    ) throws(EvaluationError) -> String {
        let scalars = Array(template.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        var next = 0  // the next positional argument
        var usedMapping = false
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
            do throws(EvaluationError) {
                var position = index + 1
                var key: String?
                if position < scalars.count, scalars[position] == "(" {
                    key = try parseKey(scalars, &position)
                }
                let spec = try parseSpec(scalars, &position)
                let value: TemplateValue
                switch (key, arguments) {
                case (let key?, .named(let values)):
                    guard let found = values[key] else {
                        throw EvaluationError(message: "KeyError: \(TemplateValue.pythonQuote(key))")
                    }
                    usedMapping = true
                    value = found
                case (nil, .positional(let values)):
                    guard next < values.count else {
                        throw EvaluationError(message: "not enough arguments for format string")
                    }
                    value = values[next]
                    next += 1
                case (nil, .named):
                    // Python: a dictionary given to positional placeholders is formatted whole.
                    guard let single, !usedMapping, next == 0 else {
                        throw EvaluationError(message: "format requires a mapping")
                    }
                    value = single
                    next += 1
                case (.some, .positional):
                    throw EvaluationError(message: "format requires a mapping")
                }
                output.append(contentsOf: try render(value, spec).unicodeScalars)
                index = position
            } catch {
                guard lenient else { throw error }
                output.append("%")  // keep the placeholder as written
                index += 1
            }
        }
        if case .positional(let values) = arguments, next < values.count, !lenient {
            throw EvaluationError(message: "not all arguments converted during string formatting")
        }
        return String(output)
    }

    /// `(name)` after a `%`: to the matching parenthesis, as Python reads it.
    private static func parseKey(_ scalars: [Unicode.Scalar], _ position: inout Int) throws(EvaluationError) -> String {
        var depth = 1
        var key = String.UnicodeScalarView()
        position += 1
        while position < scalars.count {
            if scalars[position] == "(" { depth += 1 }
            if scalars[position] == ")" {
                depth -= 1
                if depth == 0 { break }
            }
            key.append(scalars[position])
            position += 1
        }
        guard position < scalars.count else { throw EvaluationError(message: "incomplete format key") }
        position += 1
        return String(key)
    }

    private static func parseSpec(_ scalars: [Unicode.Scalar], _ position: inout Int) throws(EvaluationError) -> Spec {
        var spec = Spec()
        while position < scalars.count, "-+ #0".unicodeScalars.contains(scalars[position]) {
            spec.flags.insert(scalars[position])
            position += 1
        }
        spec.width = number(scalars, &position)
        if position < scalars.count, scalars[position] == "." {
            position += 1
            spec.precision = number(scalars, &position) ?? 0
        }
        while position < scalars.count, "hlL".unicodeScalars.contains(scalars[position]) { position += 1 }
        guard position < scalars.count else { throw EvaluationError(message: "incomplete format") }
        spec.conversion = scalars[position]
        position += 1
        return spec
    }

    private static func number(_ scalars: [Unicode.Scalar], _ position: inout Int) -> Int? {
        var value: Int?
        while position < scalars.count, ("0"..."9").contains(scalars[position]) {
            value = min((value ?? 0) * 10 + Int(scalars[position].value - 48), 10_000)  // no wider placeholder
            position += 1
        }
        return value
    }

    private static func render(_ value: TemplateValue, _ spec: Spec) throws(EvaluationError) -> String {
        let left = spec.flags.contains("-")
        switch spec.conversion {
        case "s", "r", "a":
            var text = spec.conversion == "s" ? value.text : repr(value)
            if let precision = spec.precision {
                text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision)))
            }
            return pad(text, spec.width, left: left)
        case "d", "i", "u", "x", "X", "o":
            let integer: Int
            switch value {
            case .int(let number): integer = number
            case .bool(let flag): integer = flag ? 1 : 0
            case .double(let number)
            where number.isFinite && abs(number) < 9e18 && "diu".unicodeScalars.contains(spec.conversion):
                integer = Int(number)
            default:
                let wanted = "diu".unicodeScalars.contains(spec.conversion) ? "a real number" : "an integer"
                throw EvaluationError(
                    message: "%\(spec.conversion) format: \(wanted) is required, not \(value.typeName)")
            }
            let radix = spec.conversion == "o" ? 8 : ("xX".unicodeScalars.contains(spec.conversion) ? 16 : 10)
            var digits = String(integer.magnitude, radix: radix, uppercase: spec.conversion == "X")
            if let precision = spec.precision, digits.count < precision {
                digits = String(repeating: "0", count: precision - digits.count) + digits
            }
            if spec.flags.contains("#") && radix != 10 {
                digits = (radix == 8 ? "0o" : (spec.conversion == "X" ? "0X" : "0x")) + digits
            }
            return signed(digits, negative: integer < 0, spec)
        case "f", "F", "e", "E", "g", "G":
            let number: Double
            switch value {
            case .double(let double): number = double
            case .int(let integer): number = Double(integer)
            case .bool(let flag): number = flag ? 1 : 0
            default:
                throw EvaluationError(
                    message: "%\(spec.conversion) format: a real number is required, not \(value.typeName)")
            }
            let body = cFormat(
                number.magnitude, precision: spec.precision ?? 6, conversion: spec.conversion,
                alternate: spec.flags.contains("#"))
            return signed(body, negative: number.sign == .minus && !number.isNaN, spec)
        case "c":
            switch value {
            case .int(let code):
                guard let scalar = Unicode.Scalar(UInt32(clamping: max(code, 0))), code >= 0 else {
                    throw EvaluationError(message: "%c arg not in range(0x110000)")
                }
                return pad(String(scalar), spec.width, left: left)
            case .string(let text) where text.count == 1:
                return pad(text, spec.width, left: left)
            default:
                throw EvaluationError(message: "%c requires an int or a single character")
            }
        default:
            throw EvaluationError(
                message:
                    "unsupported format character '\(spec.conversion)' (0x\(String(spec.conversion.value, radix: 16)))")
        }
    }

    private static func repr(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return TemplateValue.pythonQuote(text) }
        return value.text
    }

    /// Sign, then zero padding (flag `0`) or space padding to the width.
    private static func signed(_ digits: String, negative: Bool, _ spec: Spec) -> String {
        let sign = negative ? "-" : spec.flags.contains("+") ? "+" : spec.flags.contains(" ") ? " " : ""
        if spec.flags.contains("0") && !spec.flags.contains("-"), let width = spec.width,
            sign.count + digits.count < width
        {
            return sign + String(repeating: "0", count: width - sign.count - digits.count) + digits
        }
        return pad(sign + digits, spec.width, left: spec.flags.contains("-"))
    }

    private static func pad(_ text: String, _ width: Int?, left: Bool) -> String {
        let count = text.unicodeScalars.count
        guard let width, count < width else { return text }
        let spaces = String(repeating: " ", count: width - count)
        return left ? text + spaces : spaces + text
    }

    /// C's formatting of a non-negative float, which Python's `%` follows.
    private static func cFormat(_ value: Double, precision: Int, conversion: Unicode.Scalar, alternate: Bool) -> String
    {
        if value.isNaN { return conversion.properties.isUppercase ? "NAN" : "nan" }
        if value.isInfinite { return conversion.properties.isUppercase ? "INF" : "inf" }
        let format = "%" + (alternate ? "#" : "") + ".*" + String(conversion)
        var buffer = [CChar](repeating: 0, count: 512)
        let written = withVaList([Int32(min(precision, 100)), value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
        }
        guard written >= 0 else { return String(value) }
        if Int(written) >= buffer.count {  // a huge number in %f: grow once, exactly
            buffer = [CChar](repeating: 0, count: Int(written) + 1)
            _ = withVaList([Int32(min(precision, 100)), value]) { arguments in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
            }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
