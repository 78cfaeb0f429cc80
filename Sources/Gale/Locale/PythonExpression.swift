/// The subset of Python expressions `gettext.c2py` writes, parsed with Python's grammar and
/// evaluated with Python's rules on integers.
///
/// The grammar matters: `c2py` turns `!n == 1` into `not n == 1`, which Python reads as
/// `not (n == 1)`, and turns `n == !1` into `n == not 1`, which Python refuses to compile.
indirect enum PythonExpression: Sendable, Equatable {
    enum Comparison: Sendable, Equatable {
        case equal, notEqual, less, greater, lessOrEqual, greaterOrEqual
    }

    enum Arithmetic: Sendable, Equatable {
        case add, subtract, multiply, floorDivide, remainder
    }

    case n
    case number(Int)
    case not(PythonExpression)
    case and(PythonExpression, PythonExpression)
    case or(PythonExpression, PythonExpression)
    /// `first op1 second op2 third ...`, a Python comparison chain.
    case compare(PythonExpression, [(Comparison, PythonExpression)])
    case arithmetic(Arithmetic, PythonExpression, PythonExpression)
    /// `ifTrue if condition else ifFalse`.
    case conditional(condition: PythonExpression, ifTrue: PythonExpression, ifFalse: PythonExpression)

    static func == (lhs: PythonExpression, rhs: PythonExpression) -> Bool {
        switch (lhs, rhs) {
        case (.n, .n): true
        case (.number(let a), .number(let b)): a == b
        case (.not(let a), .not(let b)): a == b
        case (.and(let a1, let a2), .and(let b1, let b2)), (.or(let a1, let a2), .or(let b1, let b2)):
            a1 == b1 && a2 == b2
        case (.compare(let a, let aRest), .compare(let b, let bRest)):
            a == b && aRest.count == bRest.count && zip(aRest, bRest).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.arithmetic(let aOp, let a1, let a2), .arithmetic(let bOp, let b1, let b2)):
            aOp == bOp && a1 == b1 && a2 == b2
        case (.conditional(let a1, let a2, let a3), .conditional(let b1, let b2, let b3)):
            a1 == b1 && a2 == b2 && a3 == b3
        default: false
        }
    }

    /// Parses a whole token list; a token left over, or one where the grammar allows none, is
    /// the `SyntaxError` Python would raise.
    static func parse(_ tokens: [PythonToken]) throws(PluralRule.Invalid) -> PythonExpression {
        var parser = Parser(tokens: tokens)
        let expression = try parser.test()
        guard parser.position == tokens.count else { throw PluralRule.Invalid(reason: "invalid syntax") }
        return expression
    }

    /// The value for `n`; Python booleans are 0 and 1. `nil` on division by zero or overflow.
    func evaluate(n: Int) -> Int? {
        switch self {
        case .n:
            return n
        case .number(let value):
            return value
        case .not(let operand):
            return operand.evaluate(n: n).map { $0 == 0 ? 1 : 0 }
        case .and(let left, let right):
            guard let value = left.evaluate(n: n) else { return nil }
            return value == 0 ? value : right.evaluate(n: n)
        case .or(let left, let right):
            guard let value = left.evaluate(n: n) else { return nil }
            return value != 0 ? value : right.evaluate(n: n)
        case .compare(let first, let rest):
            guard var left = first.evaluate(n: n) else { return nil }
            for (comparison, operand) in rest {
                guard let right = operand.evaluate(n: n) else { return nil }
                if !Self.compare(left, comparison, right) { return 0 }
                left = right
            }
            return 1
        case .arithmetic(let operation, let leftOperand, let rightOperand):
            guard let left = leftOperand.evaluate(n: n), let right = rightOperand.evaluate(n: n) else { return nil }
            return Self.apply(operation, left, right)
        case .conditional(let condition, let ifTrue, let ifFalse):
            guard let value = condition.evaluate(n: n) else { return nil }
            return value != 0 ? ifTrue.evaluate(n: n) : ifFalse.evaluate(n: n)
        }
    }

    private static func compare(_ left: Int, _ comparison: Comparison, _ right: Int) -> Bool {
        switch comparison {
        case .equal: left == right
        case .notEqual: left != right
        case .less: left < right
        case .greater: left > right
        case .lessOrEqual: left <= right
        case .greaterOrEqual: left >= right
        }
    }

    private static func apply(_ operation: Arithmetic, _ left: Int, _ right: Int) -> Int? {
        switch operation {
        case .add:
            let (value, overflow) = left.addingReportingOverflow(right)
            return overflow ? nil : value
        case .subtract:
            let (value, overflow) = left.subtractingReportingOverflow(right)
            return overflow ? nil : value
        case .multiply:
            let (value, overflow) = left.multipliedReportingOverflow(by: right)
            return overflow ? nil : value
        case .floorDivide:
            guard right != 0, !(left == .min && right == -1) else { return nil }
            return CivilTime.floorDivide(left, right)
        case .remainder:
            guard right != 0, !(left == .min && right == -1) else { return nil }
            let remainder = left % right
            return remainder != 0 && (remainder < 0) != (right < 0) ? remainder + right : remainder
        }
    }
}

/// Recursive descent over Python's `test` grammar, restricted to what `c2py` emits.
private struct Parser {
    let tokens: [PythonToken]
    var position = 0

    private var current: PythonToken? { position < tokens.count ? tokens[position] : nil }

    private mutating func accept(_ token: PythonToken) -> Bool {
        guard current == token else { return false }
        position += 1
        return true
    }

    private static let invalid = PluralRule.Invalid(reason: "invalid syntax")

    /// `test: or_test ['if' or_test 'else' test]`
    mutating func test() throws(PluralRule.Invalid) -> PythonExpression {
        let value = try orTest()
        guard accept(.if) else { return value }
        let condition = try orTest()
        guard accept(.else) else { throw Self.invalid }
        return .conditional(condition: condition, ifTrue: value, ifFalse: try test())
    }

    private mutating func orTest() throws(PluralRule.Invalid) -> PythonExpression {
        var value = try andTest()
        while accept(.or) { value = .or(value, try andTest()) }
        return value
    }

    private mutating func andTest() throws(PluralRule.Invalid) -> PythonExpression {
        var value = try notTest()
        while accept(.and) { value = .and(value, try notTest()) }
        return value
    }

    private mutating func notTest() throws(PluralRule.Invalid) -> PythonExpression {
        var negations = 0
        while accept(.not) { negations += 1 }
        var value = try comparison()
        for _ in 0..<negations { value = .not(value) }
        return value
    }

    private mutating func comparison() throws(PluralRule.Invalid) -> PythonExpression {
        let first = try sum()
        var rest: [(PythonExpression.Comparison, PythonExpression)] = []
        while case .compare(let comparison)? = current {
            position += 1
            rest.append((comparison, try sum()))
        }
        return rest.isEmpty ? first : .compare(first, rest)
    }

    private mutating func sum() throws(PluralRule.Invalid) -> PythonExpression {
        var value = try term()
        while case .arithmetic(let operation)? = current, operation == .add || operation == .subtract {
            position += 1
            value = .arithmetic(operation, value, try term())
        }
        return value
    }

    private mutating func term() throws(PluralRule.Invalid) -> PythonExpression {
        var value = try atom()
        while case .arithmetic(let operation)? = current, operation != .add && operation != .subtract {
            position += 1
            value = .arithmetic(operation, value, try atom())
        }
        return value
    }

    private mutating func atom() throws(PluralRule.Invalid) -> PythonExpression {
        switch current {
        case .n?:
            position += 1
            return .n
        case .number(let value)?:
            position += 1
            return .number(value)
        case .open?:
            position += 1
            let value = try test()
            guard accept(.close) else { throw Self.invalid }
            return value
        default:
            throw Self.invalid
        }
    }
}
