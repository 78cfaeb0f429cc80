/// An expression turned into a closure when its template loads, so rendering calls straight
/// into the code for each operation instead of switching over the tree (and copying its
/// payloads) on every evaluation. Operations outside the hot set run through
/// `Expression.evaluate`, which gives the same results.
struct CompiledExpression: Sendable {
    typealias Evaluator = @Sendable (RenderScope) throws(EvaluationError) -> TemplateValue

    let expression: Expression
    let run: Evaluator

    init(_ expression: Expression) {
        self.expression = expression
        run = Self.compile(expression)
    }

    private static func compile(_ expression: Expression) -> Evaluator {
        switch expression {
        case .literal(let value):
            return { _ in value }
        case .variable(let name, let slot, let builtin):
            return { scope throws(EvaluationError) in
                if let value = scope.value(at: slot) ?? builtin { return value }
                throw EvaluationError(message: "name '\(name)' is not defined")
            }
        case .key(.variable(_, let slot, _), let key):
            // `row["key"]`: read in place when the name holds a dictionary, without copying it.
            let base = compile(expression.keyBase)
            let key = TemplateKey(key)
            return { scope throws(EvaluationError) in
                if let found = scope.member(slot, key) { return found }
                return try Builtins.member(try base(scope), key.name)
            }
        case .key(let base, let key):
            let base = compile(base)
            return { scope throws(EvaluationError) in try Builtins.member(try base(scope), key) }
        case .attribute(let base, let name):
            let base = compile(base)
            return { scope throws(EvaluationError) in try Builtins.attribute(name, of: try base(scope)) }
        case .binary(let op, let left, let right):
            let left = compile(left)
            let right = compile(right)
            return { scope throws(EvaluationError) in try Arithmetic.apply(op, try left(scope), try right(scope)) }
        case .compare(let first, let chain) where chain.count == 1:
            let left = compile(first)
            let (comparison, second) = chain[0]
            let right = compile(second)
            return { scope throws(EvaluationError) in
                .bool(try Arithmetic.compare(comparison, try left(scope), try right(scope)))
            }
        case .not(let operand):
            let operand = compile(operand)
            return { scope throws(EvaluationError) in .bool(!(try operand(scope).isTruthy)) }
        case .conditional(let test, let then, let otherwise):
            let test = compile(test)
            let then = compile(then)
            let otherwise = compile(otherwise)
            return { scope throws(EvaluationError) in try test(scope).isTruthy ? then(scope) : otherwise(scope) }
        case .call(.attribute(.literal(.string(let separator)), "join"), let positional, let keyword)
        where positional.count == 1 && keyword.isEmpty:
            // `", ".join(items)`: no method lookup and no argument list.
            let argument = compile(positional[0])
            return { scope throws(EvaluationError) in
                switch try argument(scope) {
                case .list(let items): return .string(try Builtins.join(items, separator: separator))
                case let other: return .string(try Builtins.join(try Builtins.iterate(other), separator: separator))
                }
            }
        case .call(.attribute(let base, let name), let positional, let keyword) where keyword.isEmpty:
            // `value.method(...)`: called directly, without making a function object, unless the
            // name is a dictionary key (then it is that value, called as any other).
            let base = compile(base)
            let arguments = positional.map(compile)
            return { scope throws(EvaluationError) in
                let target = try base(scope)
                var values: [TemplateValue] = []
                values.reserveCapacity(arguments.count)
                for argument in arguments { values.append(try argument(scope)) }
                if case .dictionary(let dictionary) = target, dictionary[name] != nil {
                    return try callValue(try Builtins.attribute(name, of: target), values)
                }
                if let result = try Builtins.callMethod(name, on: target, TemplateArguments(values)) { return result }
                return try callValue(try Builtins.attribute(name, of: target), values)
            }
        case .call(let callee, let positional, let keyword) where keyword.isEmpty:
            let callee = compile(callee)
            let arguments = positional.map(compile)
            return { scope throws(EvaluationError) in
                let function = try callee(scope)
                var values: [TemplateValue] = []
                values.reserveCapacity(arguments.count)
                for argument in arguments { values.append(try argument(scope)) }
                return try callValue(function, values)
            }
        default:
            return { scope throws(EvaluationError) in try expression.evaluate(in: scope) }
        }
    }

    /// Calls a function value with positional arguments.
    private static func callValue(_ function: TemplateValue, _ values: [TemplateValue]) throws(EvaluationError)
        -> TemplateValue
    {
        guard case .function(let body) = function else {
            throw EvaluationError(message: "'\(function.typeName)' object is not callable")
        }
        do {
            return try body.call(TemplateArguments(values))
        } catch let error as EvaluationError {
            throw error
        } catch {
            throw EvaluationError(message: "\(body.name)(): \(error)", underlying: error)
        }
    }
}

extension Expression {
    /// The base of `base["key"]`.
    fileprivate var keyBase: Expression {
        if case .key(let base, _) = self { return base }
        return self
    }
}
