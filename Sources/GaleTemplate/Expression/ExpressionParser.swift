/// Parses expressions with Python's precedence: conditional, `or`, `and`, `not`, comparisons,
/// `+ -`, `* / // %`, unary minus, `**`, then calls, attributes and subscripts on atoms.
struct ExpressionParser {
    typealias Failure = ExpressionLexer.Failure
    private let tokens: [ExpressionLexer.Token]
    private let symbols: SymbolTable
    private var position = 0
    private var depth = 0

    /// Limits that keep a hostile or mistaken expression from exhausting the stack when it is
    /// compiled and evaluated (both recurse over the tree): tokens per expression, and nesting
    /// of brackets, `not` and unary signs.
    static let maximumTokens = 1000
    static let maximumDepth = 64

    /// Parses `source` as one whole expression, numbering its names in `symbols`.
    static func parse(_ source: String, symbols: SymbolTable) throws(Failure) -> Expression {
        let tokens = try ExpressionLexer.tokens(source)
        guard tokens.count <= maximumTokens else {
            throw Failure(message: "expression longer than \(maximumTokens) tokens")
        }
        var parser = ExpressionParser(tokens: tokens, symbols: symbols)
        let expression = try parser.parseTest()
        try parser.expectEnd()
        return expression
    }

    private init(tokens: [ExpressionLexer.Token], symbols: SymbolTable) {
        self.tokens = tokens
        self.symbols = symbols
    }

    private var peek: ExpressionLexer.Token { tokens[position] }

    private mutating func take(_ token: ExpressionLexer.Token) -> Bool {
        guard peek == token else { return false }
        position += 1
        return true
    }

    private func isKeyword(_ word: String) -> Bool { peek == .name(word) }

    private mutating func expect(_ token: ExpressionLexer.Token, _ what: String) throws(Failure) {
        guard take(token) else { throw Failure(message: "expected \(what), found \(describe(peek))") }
    }

    private func expectEnd() throws(Failure) {
        guard peek == .end else { throw Failure(message: "unexpected \(describe(peek))") }
    }

    private func describe(_ token: ExpressionLexer.Token) -> String {
        switch token {
        case .name(let name): "'\(name)'"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): TemplateValue.pythonQuote(value)
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "end of expression"
        }
    }

    /// `or_test ['if' or_test 'else' test]`
    private mutating func parseTest() throws(Failure) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw Failure(message: "expression nested more than \(Self.maximumDepth) deep")
        }
        let value = try parseOr()
        guard isKeyword("if") else { return value }
        position += 1
        let test = try parseOr()
        guard take(.name("else")) else { throw Failure(message: "expected 'else' in a conditional expression") }
        return .conditional(test: test, then: value, otherwise: try parseTest())
    }

    private mutating func parseOr() throws(Failure) -> Expression {
        var left = try parseAnd()
        while take(.name("or")) { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws(Failure) -> Expression {
        var left = try parseNot()
        while take(.name("and")) { left = .and(left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws(Failure) -> Expression {
        if take(.name("not")) {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw Failure(message: "too many 'not's") }
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(Failure) -> Expression {
        let first = try parseSum()
        var chain: [(Expression.Comparison, Expression)] = []
        while true {
            let comparison: Expression.Comparison
            switch peek {
            case .symbol(let symbol) where Expression.Comparison(rawValue: symbol) != nil:
                comparison = Expression.Comparison(rawValue: symbol) ?? .equal
                position += 1
            case .name("in"):
                comparison = .isIn
                position += 1
            case .name("not") where tokens[position + 1] == .name("in"):
                comparison = .notIn
                position += 2
            case .name("is"):
                position += 1
                comparison = take(.name("not")) ? .isNot : .is
            default:
                return chain.isEmpty ? first : .compare(first, chain)
            }
            chain.append((comparison, try parseSum()))
        }
    }

    private mutating func parseSum() throws(Failure) -> Expression {
        var left = try parseProduct()
        while case .symbol(let symbol) = peek, symbol == "+" || symbol == "-" {
            position += 1
            left = .binary(symbol == "+" ? .add : .subtract, left, try parseProduct())
        }
        return left
    }

    private mutating func parseProduct() throws(Failure) -> Expression {
        var left = try parseUnary()
        while case .symbol(let symbol) = peek, let op = Expression.BinaryOperator(rawValue: symbol),
            [.multiply, .divide, .floorDivide, .modulo].contains(op)
        {
            position += 1
            left = .binary(op, left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(Failure) -> Expression {
        if peek == .symbol("-") || peek == .symbol("+") {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw Failure(message: "too many signs") }
            if take(.symbol("-")) { return .negate(try parseUnary()) }
            position += 1
            return try parseUnary()
        }
        let base = try parsePrimary()
        if take(.symbol("**")) {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw Failure(message: "too many '**'s") }
            return .binary(.power, base, try parseUnary())
        }
        return base
    }

    private mutating func parsePrimary() throws(Failure) -> Expression {
        var value = try parseAtom()
        while true {
            if take(.symbol(".")) {
                guard case .name(let name) = peek else { throw Failure(message: "expected a name after '.'") }
                position += 1
                value = .attribute(value, name)
            } else if take(.symbol("(")) {
                value = try parseCall(value)
            } else if take(.symbol("[")) {
                value = try parseSubscript(value)
            } else {
                return value
            }
        }
    }

    private mutating func parseCall(_ callee: Expression) throws(Failure) -> Expression {
        var positional: [Expression] = []
        var keyword: [(String, Expression)] = []
        while !take(.symbol(")")) {
            if case .name(let name) = peek, tokens[position + 1] == .symbol("=") {
                position += 2
                keyword.append((name, try parseTest()))
            } else {
                guard keyword.isEmpty else { throw Failure(message: "positional argument follows keyword argument") }
                positional.append(try parseTest())
            }
            if !take(.symbol(",")) {
                try expect(.symbol(")"), "')' or ','")
                break
            }
        }
        return .call(callee, positional, keyword)
    }

    private mutating func parseSubscript(_ base: Expression) throws(Failure) -> Expression {
        var lower: Expression?
        if peek != .symbol(":") { lower = try parseTest() }
        if take(.symbol(":")) {
            var upper: Expression?
            if peek != .symbol("]") { upper = try parseTest() }
            try expect(.symbol("]"), "']'")
            return .slice(base, lower, upper)
        }
        try expect(.symbol("]"), "']'")
        guard let lower else { throw Failure(message: "empty subscript") }
        if case .literal(.string(let key)) = lower { return .key(base, key) }
        return .index(base, lower)
    }

    private mutating func parseAtom() throws(Failure) -> Expression {
        let token = peek
        position += 1
        switch token {
        case .int(let value): return .literal(.int(value))
        case .double(let value): return .literal(.double(value))
        case .string(var value):
            while case .string(let more) = peek {  // adjacent literals join, as in Python
                value += more
                position += 1
            }
            return .literal(.string(value))
        case .name("None"): return .literal(.none)
        case .name("True"): return .literal(.bool(true))
        case .name("False"): return .literal(.bool(false))
        case .name(let name) where ["and", "or", "not", "in", "is", "if", "else"].contains(name):
            throw Failure(message: "unexpected '\(name)'")
        case .name(let name):
            return .variable(name, slot: symbols.slot(for: name), builtin: Builtins.function(named: name))
        case .symbol("("):
            if take(.symbol(")")) { return .list([]) }
            let first = try parseTest()
            if take(.symbol(")")) { return first }
            var items = [first]
            while take(.symbol(",")) {
                if peek == .symbol(")") { break }
                items.append(try parseTest())
            }
            try expect(.symbol(")"), "')'")
            return .list(items)
        case .symbol("["):
            var items: [Expression] = []
            while !take(.symbol("]")) {
                items.append(try parseTest())
                if !take(.symbol(",")) {
                    try expect(.symbol("]"), "']' or ','")
                    break
                }
            }
            return .list(items)
        case .symbol("{"):
            var pairs: [(Expression, Expression)] = []
            while !take(.symbol("}")) {
                let key = try parseTest()
                try expect(.symbol(":"), "':' in a dictionary")
                pairs.append((key, try parseTest()))
                if !take(.symbol(",")) {
                    try expect(.symbol("}"), "'}' or ','")
                    break
                }
            }
            return .dictionary(pairs)
        default:
            throw Failure(message: "unexpected \(describe(token))")
        }
    }
}
