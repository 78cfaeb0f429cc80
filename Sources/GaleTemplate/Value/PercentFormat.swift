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

    /// ``format(_:_:)`` with values in a ``TemplateDictionary``, which a few keys are found in
    /// by comparing them in order, without hashing; what `Locale` uses for its dates.
    package static func format(_ template: String, _ values: TemplateDictionary) -> String {
        (try? run(template, .dictionary(values, whole: nil), lenient: true)) ?? template
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
        /// given to a lone `%s` whole); no such value for named values given from Swift.
        case dictionary(TemplateDictionary, whole: TemplateValue?)
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

    /// Formats into a buffer on the stack first (most results are short); a result that does not
    /// fit is formatted again into an array.
    private static func run(_ template: String, _ arguments: Arguments, lenient: Bool) throws(EvaluationError)
        -> String
    {
        var failure: EvaluationError?
        let result = PythonCharacters.withUTF8(template) { bytes -> String in
            do throws(EvaluationError) {
                let short = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) {
                    buffer throws(EvaluationError) -> String? in
                    guard let base = buffer.baseAddress else { return nil }
                    var output = BoundedUTF8Output(base, capacity: buffer.count)
                    try run(bytes, arguments, lenient: lenient, to: &output)
                    return output.overflowed ? nil : String(copying: base, count: output.count)
                }
                if let short { return short }
                var output: [UInt8] = []
                output.reserveCapacity(bytes.count + 512)
                try run(bytes, arguments, lenient: lenient, to: &output)
                return String(decoding: output, as: UTF8.self)
            } catch {
                failure = error
                return ""
            }
        }
        if let failure { throw failure }
        return result
    }

    private static func run<Output: ByteOutput>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ arguments: Arguments, lenient: Bool, to output: inout Output
    ) throws(EvaluationError) {
        var index = 0
        var literal = 0  // where the literal text not yet copied starts
        var next = 0  // the next positional argument
        var usedMapping = false
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                index += 1
                continue
            }
            output.append(UnsafeBufferPointer(rebasing: bytes[literal..<index]))
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "%") {
                output.append(UInt8(ascii: "%"))
                index += 2
                literal = index
                continue
            }
            do throws(EvaluationError) {
                var position = index + 1
                var key: String?
                if position < bytes.count, bytes[position] == UInt8(ascii: "(") {
                    key = try parseKey(bytes, &position)
                }
                let spec = try PercentSpec(parsing: bytes, at: &position)
                // Each case writes the value it finds, so none is copied out of `arguments`.
                // `write` writes nothing when it throws.
                switch arguments {
                case .named(let values):
                    guard let key else { throw EvaluationError(message: "format requires a mapping") }
                    guard let found = values[key] else { throw keyError(key) }
                    usedMapping = true
                    try spec.write(found, to: &output)
                case .dictionary(let dictionary, let whole):
                    if let key {
                        guard let found = dictionary[key] else { throw keyError(key) }
                        usedMapping = true
                        try spec.write(found, to: &output)
                    } else {
                        // Python: a dictionary given to a positional placeholder is formatted
                        // whole, once, and only before any `%(key)` placeholder.
                        guard let whole else { throw EvaluationError(message: "format requires a mapping") }
                        guard !usedMapping, next == 0 else {
                            throw EvaluationError(message: "not enough arguments for format string")
                        }
                        next += 1
                        try spec.write(whole, to: &output)
                    }
                case .positional(let values):
                    guard key == nil else { throw EvaluationError(message: "format requires a mapping") }
                    guard next < values.count else {
                        throw EvaluationError(message: "not enough arguments for format string")
                    }
                    next += 1
                    try spec.write(values[next - 1], to: &output)
                case .single(let single):
                    guard key == nil else { throw EvaluationError(message: "format requires a mapping") }
                    guard next == 0 else { throw EvaluationError(message: "not enough arguments for format string") }
                    next += 1
                    try spec.write(single, to: &output)
                }
                index = position
            } catch {
                guard lenient else { throw error }
                output.append(UInt8(ascii: "%"))  // keep the placeholder as written
                index += 1
            }
            literal = index
        }
        output.append(UnsafeBufferPointer(rebasing: bytes[literal...]))
        if let count = arguments.positionalCount, next < count, !lenient {
            throw EvaluationError(message: "not all arguments converted during string formatting")
        }
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
