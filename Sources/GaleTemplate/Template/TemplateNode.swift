/// A parsed piece of a template. Parsed once; rendering walks these.
indirect enum TemplateNode: Sendable {
    /// Literal text, whitespace already filtered, as the UTF-8 bytes a render appends.
    case text([UInt8])
    /// `{{ expression }}` (escaped) or `{% raw expression %}`.
    case expression(CompiledExpression, raw: Bool, line: Int)
    /// `{{ name["key"] }}` (or `{% raw %}`), the common row lookup: written straight from the
    /// dictionary when it is one and has the key, else rendered as `expression`.
    case member(slot: Int, key: TemplateKey, CompiledExpression, raw: Bool, line: Int)
    /// `{% module Name(...) %}`: a UI module's output, not escaped.
    case module(CompiledExpression, line: Int)
    /// `{% if %}`, `{% elif %}`..., `{% else %}`.
    /// Each branch with its tag's line, so an error in an `elif` names that line.
    case conditional([(CompiledExpression, [TemplateNode], line: Int)], otherwise: [TemplateNode]?)
    /// `{% for a, b in items %}` (the names' slots) with an optional `{% else %}` run when the loop did not break.
    case loop(targets: [Int], CompiledExpression, body: [TemplateNode], otherwise: [TemplateNode]?, line: Int)
    /// `{% while condition %}`.
    case repeating(CompiledExpression, body: [TemplateNode], otherwise: [TemplateNode]?, line: Int)
    /// `{% set name = value %}`, or `+=` and friends.
    case assignment(target: String, slot: Int, Expression.BinaryOperator?, CompiledExpression, line: Int)
    case breakLoop
    case continueLoop
    /// `{% block name %}`: a child template may replace its body.
    case block(name: String, body: [TemplateNode], line: Int)
    /// `{% include "name" %}`: the named template's body, rendered in place with the same
    /// variables. `path` is the name resolved against the including template's folder when
    /// parsed; `nil` when it cannot be, so the render reports why.
    case include(name: String, path: String?, line: Int)
    /// `{% apply function %}...{% end %}`: the body's output passed through `function`.
    case apply(CompiledExpression, body: [TemplateNode], line: Int)
    /// `{% try %}...{% except %}...{% finally %}...{% end %}`.
    case attempt(body: [TemplateNode], except: [TemplateNode]?, finally: [TemplateNode]?, line: Int)
}
