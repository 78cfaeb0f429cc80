#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Python's arithmetic and comparisons on template values.
enum Arithmetic {
    static func apply(_ op: Expression.BinaryOperator, _ left: TemplateValue, _ right: TemplateValue)
        throws(EvaluationError) -> TemplateValue
    {
        switch (op, left, right) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)): return .list(a + b)
        case (.multiply, .string(let text), .bool(let flag)), (.multiply, .bool(let flag), .string(let text)):
            return .string(flag ? text : "")
        case (.multiply, .string(let text), .int(let count)), (.multiply, .int(let count), .string(let text)):
            guard count > 0, !text.isEmpty else { return .string("") }
            try checkRepetition(text.utf8.count, count)
            return .string(String(repeating: text, count: count))
        case (.multiply, .list(let items), .int(let count)), (.multiply, .int(let count), .list(let items)):
            guard count > 0, !items.isEmpty else { return .list([]) }
            try checkRepetition(items.count, count)
            return .list(Array(repeating: items, count: count).flatMap { $0 })
        case (.modulo, .string(let format), _):
            return .string(try PercentFormat.apply(format, right))
        default:
            break
        }
        if let a = integer(left), let b = integer(right) { return try integers(op, a, b) }
        if let a = number(left), let b = number(right) { return try doubles(op, a, b) }
        throw EvaluationError(
            message: "unsupported operand type(s) for \(op.rawValue): '\(left.typeName)' and '\(right.typeName)'")
    }

    /// The most elements (or UTF-8 bytes) a repetition may make: a template cannot ask for
    /// gigabytes.
    static let maximumRepetition = 10_000_000

    private static func checkRepetition(_ size: Int, _ count: Int) throws(EvaluationError) {
        let (total, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, total <= maximumRepetition else {
            throw EvaluationError(message: "repetition of \(size) by \(count) is too large")
        }
    }

    private static func integer(_ value: TemplateValue) -> Int? {
        switch value {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    private static func number(_ value: TemplateValue) -> Double? {
        if case .double(let value) = value { return value }
        return integer(value).map(Double.init)
    }

    private static func integers(_ op: Expression.BinaryOperator, _ a: Int, _ b: Int) throws(EvaluationError)
        -> TemplateValue
    {
        let result: (Int, Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            guard b != 0 else { throw EvaluationError(message: "division by zero") }
            return .double(Double(a) / Double(b))
        case .floorDivide, .modulo:
            guard b != 0 else { throw EvaluationError(message: "integer division or modulo by zero") }
            guard !(a == .min && b == -1) else { throw EvaluationError(message: "integer overflow") }
            var quotient = a / b
            var remainder = a % b
            if remainder != 0 && (remainder < 0) != (b < 0) {  // Python floors toward -infinity
                quotient -= 1
                remainder += b
            }
            return .int(op == .floorDivide ? quotient : remainder)
        case .power:
            guard b >= 0 else { return .double(pow(Double(a), Double(b))) }
            switch a {
            case 0: return .int(b == 0 ? 1 : 0)
            case 1: return .int(1)
            case -1: return .int(b % 2 == 0 ? 1 : -1)
            default: break
            }
            // Squaring: at most 63 steps before an overflow for any base but 0 and ±1.
            var (result, base, exponent) = (1, a, b)
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (next, overflow) = result.multipliedReportingOverflow(by: base)
                    if overflow { throw EvaluationError(message: "integer overflow") }
                    result = next
                }
                exponent >>= 1
                if exponent > 0 {
                    let (square, overflow) = base.multipliedReportingOverflow(by: base)
                    if overflow { throw EvaluationError(message: "integer overflow") }
                    base = square
                }
            }
            return .int(result)
        }
        guard !result.1 else { throw EvaluationError(message: "integer overflow") }
        return .int(result.0)
    }

    private static func doubles(_ op: Expression.BinaryOperator, _ a: Double, _ b: Double) throws(EvaluationError)
        -> TemplateValue
    {
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide:
            guard b != 0 else { throw EvaluationError(message: "float division by zero") }
            return .double(a / b)
        case .floorDivide, .modulo:
            guard b != 0 else { throw EvaluationError(message: "float modulo by zero") }
            let quotient = (a / b).rounded(.down)
            return .double(op == .floorDivide ? quotient : a - quotient * b)
        case .power: return .double(pow(a, b))
        }
    }

    static func compare(_ comparison: Expression.Comparison, _ left: TemplateValue, _ right: TemplateValue)
        throws(EvaluationError) -> Bool
    {
        switch comparison {
        case .equal: return equal(left, right)
        case .notEqual: return !equal(left, right)
        case .isIn: return try contains(right, left)
        case .notIn: return try !contains(right, left)
        case .is: return identical(left, right)
        case .isNot: return !identical(left, right)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order = try self.order(left, right)
            switch comparison {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    /// `is`: templates only use it with `None`, `True` and `False`.
    private static func identical(_ left: TemplateValue, _ right: TemplateValue) -> Bool {
        switch (left, right) {
        case (.none, .none): true
        case (.bool(let a), .bool(let b)): a == b
        default: false
        }
    }

    static func equal(_ left: TemplateValue, _ right: TemplateValue) -> Bool {
        switch (left, right) {
        case (.none, .none): return true
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.dictionary(let a), .dictionary(let b)):
            return a.count == b.count
                && a.items.allSatisfy { pair in b[pair.key].map { equal(pair.value, $0) } ?? false }
        case (.function(let a), .function(let b)): return a === b
        default:
            if let a = integer(left), let b = integer(right) { return a == b }  // exactly, past 2^53 too
            if let a = number(left), let b = number(right) { return a == b }
            return false
        }
    }

    private static func order(_ left: TemplateValue, _ right: TemplateValue) throws(EvaluationError) -> Int {
        switch (left, right) {
        case (.string(let a), .string(let b)):
            return a == b
                ? 0
                : (Array(a.unicodeScalars).lexicographicallyPrecedes(Array(b.unicodeScalars)) { $0.value < $1.value }
                    ? -1 : 1)
        case (.list(let a), .list(let b)):
            for (x, y) in zip(a, b) {
                let order = try self.order(x, y)
                if order != 0 { return order }
            }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        default:
            if let a = integer(left), let b = integer(right) { return a == b ? 0 : (a < b ? -1 : 1) }
            if let a = number(left), let b = number(right) { return a == b ? 0 : (a < b ? -1 : 1) }
            throw EvaluationError(message: "cannot order '\(left.typeName)' and '\(right.typeName)'")
        }
    }

    static func contains(_ container: TemplateValue, _ element: TemplateValue) throws(EvaluationError) -> Bool {
        switch (container, element) {
        case (.string(let text), .string(let part)): return part.isEmpty || text.contains(part)
        case (.list(let items), _): return items.contains { equal($0, element) }
        case (.dictionary(let dictionary), .string(let key)): return dictionary[key] != nil
        case (.dictionary, _): return false
        default:
            throw EvaluationError(message: "argument of type '\(container.typeName)' is not iterable")
        }
    }
}
