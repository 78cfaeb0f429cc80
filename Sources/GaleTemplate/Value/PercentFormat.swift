/// Python's `format % values` (printf-style formatting). Templates use it as an operator
/// (`{{ _("%(name)s liked this") % {"name": user} }}`, `{{ "%.2f" % score }}`); `Locale` fills
/// its translated patterns with `format(_:_:)`.
///
/// The pattern is read as UTF-8 bytes and the result written as bytes: literal runs are
/// copied whole, numbers are written without intermediate strings, and `%f` is rounded
/// exactly in integer arithmetic (C's `printf` only for `%e` and `%g` and for numbers too
/// large for it).
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
        case .dictionary(let dictionary): try run(template, .dictionary(dictionary, whole: argument), lenient: false)
        case .list(let items): try run(template, .positional(items), lenient: false)
        default: try run(template, .single(argument), lenient: false)
        }
    }

    private enum Arguments {
        /// Named values given from Swift (`format(_:_:)`).
        case named([String: TemplateValue])
        /// A template's dictionary, and the dictionary as one value (Python formats a mapping
        /// given to a lone `%s` whole).
        case dictionary(TemplateDictionary, whole: TemplateValue)
        case positional([TemplateValue])
        case single(TemplateValue)

        var positionalCount: Int? {
            switch self {
            case .positional(let values): values.count
            case .single: 1
            case .named, .dictionary: nil
            }
        }
    }

    private static func run(_ template: String, _ arguments: Arguments, lenient: Bool) throws(EvaluationError)
        -> String
    {
        var failure: EvaluationError?
        let output = PythonCharacters.withUTF8(template) { bytes -> [UInt8] in
            do throws(EvaluationError) {
                return try run(bytes, arguments, lenient: lenient)
            } catch {
                failure = error
                return []
            }
        }
        if let failure { throw failure }
        return String(decoding: output, as: UTF8.self)
    }

    private static func run(_ bytes: UnsafeBufferPointer<UInt8>, _ arguments: Arguments, lenient: Bool)
        throws(EvaluationError) -> [UInt8]
    {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var index = 0
        var literal = 0  // where the literal text not yet copied starts
        var next = 0  // the next positional argument
        var usedMapping = false
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[literal..<index]))
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "%") {
                output.append(UInt8(ascii: "%"))
                index += 2
                literal = index
                continue
            }
            let mark = output.count
            do throws(EvaluationError) {
                var position = index + 1
                var key: String?
                if position < bytes.count, bytes[position] == UInt8(ascii: "(") {
                    key = try parseKey(bytes, &position)
                }
                let spec = try PercentSpec(parsing: bytes, at: &position)
                let value: TemplateValue
                switch (key, arguments) {
                case (let key?, .named(let values)):
                    guard let found = values[key] else { throw keyError(key) }
                    usedMapping = true
                    value = found
                case (let key?, .dictionary(let dictionary, _)):
                    guard let found = dictionary[key] else { throw keyError(key) }
                    usedMapping = true
                    value = found
                case (nil, .positional(let values)):
                    guard next < values.count else {
                        throw EvaluationError(message: "not enough arguments for format string")
                    }
                    value = values[next]
                    next += 1
                case (nil, .single(let single)):
                    guard next == 0 else { throw EvaluationError(message: "not enough arguments for format string") }
                    value = single
                    next += 1
                case (nil, .dictionary(_, let whole)):
                    // Python: a dictionary given to a positional placeholder is formatted whole,
                    // once, and only before any `%(key)` placeholder.
                    guard !usedMapping, next == 0 else {
                        throw EvaluationError(message: "not enough arguments for format string")
                    }
                    value = whole
                    next += 1
                case (nil, .named), (.some, .positional), (.some, .single):
                    throw EvaluationError(message: "format requires a mapping")
                }
                try spec.write(value, to: &output)
                index = position
            } catch {
                guard lenient else { throw error }
                output.removeSubrange(mark...)
                output.append(UInt8(ascii: "%"))  // keep the placeholder as written
                index += 1
            }
            literal = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[literal...]))
        if let count = arguments.positionalCount, next < count, !lenient {
            throw EvaluationError(message: "not all arguments converted during string formatting")
        }
        return output
    }

    private static func keyError(_ key: String) -> EvaluationError {
        EvaluationError(message: "KeyError: \(TemplateValue.pythonQuote(key))")
    }

    /// `(name)` after a `%`: to the matching parenthesis, as Python reads it.
    private static func parseKey(_ bytes: UnsafeBufferPointer<UInt8>, _ position: inout Int) throws(EvaluationError)
        -> String
    {
        var depth = 1
        position += 1
        let start = position
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "(") { depth += 1 }
            if bytes[position] == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { break }
            }
            position += 1
        }
        guard position < bytes.count else { throw EvaluationError(message: "incomplete format key") }
        let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        position += 1
        return key
    }
}

extension PercentFormat {
    /// Python's `template % argument` (`str.__mod__`), strictly, as a template's `%` operator
    /// computes it: a dictionary fills `%(name)` placeholders, a list the positional ones in
    /// order (Python would need a tuple), anything else the only one.
    ///
    /// ```swift
    /// try PercentFormat.apply("%.2f", to: 3.14159)  // "3.14"
    /// try PercentFormat.apply("%(n)d comments", to: ["n": 3])  // "3 comments"
    /// ```
    ///
    /// - Throws: ``PercentFormatError`` with the message Python's `TypeError` (or `KeyError`)
    ///   would carry.
    public static func apply(_ template: String, to argument: TemplateValue) throws(PercentFormatError) -> String {
        do {
            return try apply(template, argument)
        } catch {
            throw PercentFormatError(message: error.message)
        }
    }
}

/// A pattern and values that Python's `%` refuses, with Python's message (`not enough
/// arguments for format string`, `KeyError: 'name'`, `unsupported format character ...`).
public struct PercentFormatError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    public var description: String { message }
}
