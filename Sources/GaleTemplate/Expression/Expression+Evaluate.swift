/// An error while evaluating an expression; the template adds its file and line.
struct EvaluationError: Error {
    var message: String
    /// What a called function threw, kept for `TemplateError.underlying`.
    var underlying: (any Error)? = nil
}

/// Where names resolve: the render's variables by slot (then Python's builtins).
protocol ExpressionScope {
    func value(at slot: Int) -> TemplateValue?
}

extension Expression {
    func evaluate(in scope: some ExpressionScope) throws(EvaluationError) -> TemplateValue {
        switch self {
        case .literal(let value):
            return value
        case .variable(let name, let slot, let builtin):
            if let value = scope.value(at: slot) ?? builtin { return value }
            throw EvaluationError(message: "name '\(name)' is not defined")
        case .attribute(let base, let name):
            return try Builtins.attribute(name, of: try base.evaluate(in: scope))
        case .key(let base, let key):
            return try Builtins.member(try base.evaluate(in: scope), key)
        case .index(let base, let key):
            return try Builtins.subscript(try base.evaluate(in: scope), try key.evaluate(in: scope))
        case .slice(let base, let lower, let upper):
            return try Builtins.slice(
                try base.evaluate(in: scope), try lower?.evaluate(in: scope), try upper?.evaluate(in: scope))
        case .call(let callee, let positional, let keyword):
            let function = try callee.evaluate(in: scope)
            guard case .function(let body) = function else {
                throw EvaluationError(message: "'\(function.typeName)' object is not callable")
            }
            var arguments = TemplateArguments()
            arguments.positional.reserveCapacity(positional.count)
            for argument in positional { arguments.positional.append(try argument.evaluate(in: scope)) }
            for (name, argument) in keyword { arguments.keyword.append((name, try argument.evaluate(in: scope))) }
            do {
                return try body.call(arguments)
            } catch let error as EvaluationError {
                throw error
            } catch {
                throw EvaluationError(message: "\(body.name)(): \(error)", underlying: error)
            }
        case .list(let items):
            var values: [TemplateValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.evaluate(in: scope)) }
            return .list(values)
        case .dictionary(let pairs):
            var evaluated: [(String, TemplateValue)] = []
            for (key, value) in pairs {
                guard case .string(let name) = try key.evaluate(in: scope) else {
                    throw EvaluationError(message: "dictionary keys must be strings in templates")
                }
                evaluated.append((name, try value.evaluate(in: scope)))
            }
            return .dictionary(TemplateDictionary(evaluated))
        case .negate(let operand):
            switch try operand.evaluate(in: scope) {
            case .int(let value) where value != .min: return .int(-value)
            case .double(let value): return .double(-value)
            case .bool(let value): return .int(value ? -1 : 0)
            case let value: throw EvaluationError(message: "bad operand type for unary -: '\(value.typeName)'")
            }
        case .not(let operand):
            return .bool(!(try operand.evaluate(in: scope).isTruthy))
        case .binary(let op, let left, let right):
            return try Arithmetic.apply(op, try left.evaluate(in: scope), try right.evaluate(in: scope))
        case .compare(let first, let chain):
            var left = try first.evaluate(in: scope)
            for (comparison, expression) in chain {
                let right = try expression.evaluate(in: scope)
                guard try Arithmetic.compare(comparison, left, right) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let left, let right):
            let value = try left.evaluate(in: scope)
            return value.isTruthy ? try right.evaluate(in: scope) : value
        case .or(let left, let right):
            let value = try left.evaluate(in: scope)
            return value.isTruthy ? value : try right.evaluate(in: scope)
        case .conditional(let test, let then, let otherwise):
            return try test.evaluate(in: scope).isTruthy ? then.evaluate(in: scope) : otherwise.evaluate(in: scope)
        }
    }
}
