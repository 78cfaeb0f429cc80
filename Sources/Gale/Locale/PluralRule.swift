/// The `plural=` expression of a `.mo` header's `Plural-Forms`, which picks the plural form for
/// a count (Russian: `n%10==1 && n%100!=11 ? 0 : ...`).
///
/// Tornado hands `.mo` files to Python's `gettext`, whose `c2py` rewrites the C expression as
/// Python source and runs it. This type does the same two steps without `eval`: it rewrites the
/// tokens exactly as `c2py` does (so the same expressions are refused, including the ones whose
/// Python is a syntax error, such as `n == !n`), then evaluates that Python with Python's
/// rules (`//` and `%` round toward minus infinity, `&&` and `||` return an operand).
struct PluralRule: Sendable, Equatable {
    /// Why an expression was refused, worded like Python's `ValueError`.
    struct Invalid: Error, Equatable {
        var reason: String
    }

    private let root: PythonExpression

    /// `n != 1`, gettext's default when a file has no `Plural-Forms`.
    static let germanic = PluralRule(root: .compare(.n, [(.notEqual, .number(1))]))

    private init(root: PythonExpression) {
        self.root = root
    }

    /// Parses a C plural expression as `gettext.c2py` does.
    init(expression: String) throws(Invalid) {
        guard expression.unicodeScalars.count <= 1000 else {
            throw Invalid(reason: "plural form expression is too long")
        }
        var translator = CToPython(tokens: try Self.tokenize(expression))
        let (python, rest) = try translator.parse()
        guard rest.isEmpty else { throw Invalid(reason: "unexpected token in plural form: \(rest)") }
        var depth = 0
        for token in python {
            if token == .open {
                depth += 1
                if depth > 20 { throw Invalid(reason: "plural form expression is too complex") }
            } else if token == .close {
                depth -= 1
            }
        }
        root = try PythonExpression.parse(python)
    }

    /// The plural form index for `n`; `nil` where Python raises (division by zero, or a value
    /// past `Int`), which gettext callers treat as "no translation".
    func index(for n: Int) -> Int? {
        root.evaluate(n: n)
    }

    /// `gettext._tokenize`: numbers, `n`, parentheses and the C operators; anything else is an
    /// invalid token.
    private static func tokenize(_ expression: String) throws(Invalid) -> [String] {
        let scalars = Array(expression.unicodeScalars)
        func isWord(_ index: Int) -> Bool {
            guard index < scalars.count else { return false }
            let scalar = scalars[index]
            return !scalar.isASCII || scalar == "_" || scalar.properties.isAlphabetic
                || ("0"..."9").contains(scalar)
        }
        var tokens: [String] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            var end = index + 1
            if scalar == " " || scalar == "\t" {
                index += 1
                continue
            } else if ("0"..."9").contains(scalar) || scalar == "n" {
                while end < scalars.count, ("0"..."9").contains(scalars[end]), scalar != "n" { end += 1 }
                if isWord(end) {  // `12abc`, `nn`: no word boundary, so one invalid token
                    while isWord(end) { end += 1 }
                    throw Invalid(
                        reason:
                            "invalid token in plural form: \(String(String.UnicodeScalarView(scalars[index..<end])))")
                }
            } else if "()-*/%+?:".unicodeScalars.contains(scalar) {
                // a single character
            } else if "<>!".unicodeScalars.contains(scalar) {
                if end < scalars.count, scalars[end] == "=" { end += 1 }
            } else if (scalar == "=" || scalar == "&" || scalar == "|"), end < scalars.count, scalars[end] == scalar {
                end += 1
            } else {
                if isWord(index) { while isWord(end) { end += 1 } }
                throw Invalid(
                    reason: "invalid token in plural form: \(String(String.UnicodeScalarView(scalars[index..<end])))")
            }
            tokens.append(String(String.UnicodeScalarView(scalars[index..<end])))
            index = end
        }
        return tokens
    }
}

/// `gettext._parse`: turns C tokens into Python tokens, adding the parentheses `c2py` adds to
/// break comparison chains and to nest conditionals.
private struct CToPython {
    private static let priorities: [String: Int] = [
        "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
    ]
    private let tokens: [String]
    private var position = 0
    private var openParentheses = 0

    init(tokens: [String]) {
        self.tokens = tokens
    }

    /// The next token; the empty string at the end, as `_tokenize` yields.
    private mutating func next() -> String {
        defer { position += 1 }
        return position < tokens.count ? tokens[position] : ""
    }

    mutating func parse(priority: Int = -1) throws(PluralRule.Invalid) -> ([PythonToken], String) {
        var result: [PythonToken] = []
        var token = next()
        while token == "!" {
            result.append(.not)
            token = next()
        }
        if token == "(" {
            // Past 20 levels the Python would be refused as too complex anyway; stopping here
            // also bounds the recursion.
            openParentheses += 1
            guard openParentheses <= 20 else {
                throw PluralRule.Invalid(reason: "plural form expression is too complex")
            }
            let (inner, closing) = try parse()
            openParentheses -= 1
            guard closing == ")" else { throw PluralRule.Invalid(reason: "unbalanced parenthesis in plural form") }
            result += [.open] + inner + [.close]
        } else if token == "n" {
            result.append(.n)
        } else if let value = Int(token), token.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            result.append(.number(value))
        } else {
            throw Self.unexpected(token)
        }
        token = next()

        var previous = 100
        while let level = Self.priorities[token], level >= priority {
            if (level == 3 || level == 4) && (previous == 3 || previous == 4) {
                result = [.open] + result + [.close]
            }
            let (right, following) = try parse(priority: level + 1)
            result += [PythonToken(cOperator: token)] + right
            token = following
            previous = level
        }
        if previous == priority && priority == 4 {
            result = [.open] + result + [.close]
        }
        if token == "?" && priority <= 0 {
            let (ifTrue, colon) = try parse(priority: 0)
            guard colon == ":" else { throw Self.unexpected(colon) }
            let (ifFalse, following) = try parse()
            result = ifTrue + [.if] + result + [.else] + ifFalse
            if priority == 0 { result = [.open] + result + [.close] }
            token = following
        }
        return (result, token)
    }

    private static func unexpected(_ token: String) -> PluralRule.Invalid {
        PluralRule.Invalid(
            reason: token.isEmpty ? "unexpected end of plural form" : "unexpected token in plural form: \(token)")
    }
}

/// A token of the Python source `c2py` writes.
enum PythonToken: Equatable {
    case n, number(Int), open, close, not, and, or, `if`, `else`
    case compare(PythonExpression.Comparison)
    case arithmetic(PythonExpression.Arithmetic)

    init(cOperator: String) {
        switch cOperator {
        case "||": self = .or
        case "&&": self = .and
        case "==": self = .compare(.equal)
        case "!=": self = .compare(.notEqual)
        case "<": self = .compare(.less)
        case ">": self = .compare(.greater)
        case "<=": self = .compare(.lessOrEqual)
        case ">=": self = .compare(.greaterOrEqual)
        case "+": self = .arithmetic(.add)
        case "-": self = .arithmetic(.subtract)
        case "*": self = .arithmetic(.multiply)
        case "/": self = .arithmetic(.floorDivide)
        default: self = .arithmetic(.remainder)
        }
    }
}
