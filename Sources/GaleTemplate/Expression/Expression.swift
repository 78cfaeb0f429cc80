/// A parsed template expression: the safe subset of Python that `{{ }}`, `{% if %}`,
/// `{% for %}` and `{% set %}` accept. Parsed once when the template loads.
indirect enum Expression: Sendable {
    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%"
        case power = "**"
    }

    enum Comparison: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case isIn = "in", notIn = "not in", `is` = "is", isNot = "is not"
    }

    case literal(TemplateValue)
    /// A name: its slot in the render's scope, and the builtin it means when the scope has none.
    case variable(String, slot: Int, builtin: TemplateValue?)
    case attribute(Expression, String)
    case index(Expression, Expression)
    /// `base["key"]` with a literal key: the common row lookup, without evaluating the key.
    case key(Expression, String)
    case slice(Expression, Expression?, Expression?)
    case call(Expression, [Expression], [(String, Expression)])
    case list([Expression])
    case dictionary([(Expression, Expression)])
    case negate(Expression)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// A chain: `a < b <= c` is `a < b and b <= c`.
    case compare(Expression, [(Comparison, Expression)])
    case and(Expression, Expression)
    case or(Expression, Expression)
    /// `then if test else otherwise`.
    case conditional(test: Expression, then: Expression, otherwise: Expression)
}
