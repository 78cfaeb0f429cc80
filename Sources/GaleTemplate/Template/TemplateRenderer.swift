/// The variables of one render: one scope, as Tornado's compiled function has, so `set` and
/// loop variables stay visible after their block and inside includes.
struct RenderScope: ExpressionScope {
    /// Values by slot (`SymbolTable`); `nil` for a name not set.
    var slots: [TemplateValue?]

    /// The namespace's values in the slots of `symbols`; names no template uses are dropped.
    init(_ namespace: [String: TemplateValue], symbols: SymbolTable) {
        let numbered = symbols.snapshot()
        slots = Array(repeating: nil, count: numbered.count)
        for (name, value) in namespace {
            if let slot = numbered[name] { slots[slot] = value }
        }
    }

    func value(at slot: Int) -> TemplateValue? {
        slot < slots.count ? slots[slot] : nil
    }

    /// `slot["key"]` when the slot holds a dictionary with that key, read in place.
    func member(_ slot: Int, _ key: TemplateKey) -> TemplateValue? {
        slots.withUnsafeBufferPointer { slots in
            guard slot < slots.count, case .dictionary(let dictionary)? = slots[slot] else { return nil }
            return dictionary.value(for: key)
        }
    }

    /// Sets a slot, growing the array for names numbered after the render began (a template
    /// loaded by `include` mid-render).
    mutating func set(_ slot: Int, _ value: TemplateValue) {
        if slot >= slots.count { slots.append(contentsOf: repeatElement(nil, count: slot - slots.count + 1)) }
        slots[slot] = value
    }
}

/// One render: which named blocks replace which, and the walk over the nodes. The scope and
/// the output bytes are passed `inout` rather than kept in a class, so no access to them needs
/// a run-time exclusivity check.
struct TemplateRenderer {
    /// The body each `{% block %}` name renders, and the template it came from.
    private var blocks: [String: (body: [TemplateNode], template: Template)] = [:]
    private var depth = 0
    /// Whether `xhtml_escape` is still the default helper in this render, so `{{ }}` can
    /// escape inline without calling it.
    private var xhtmlEscapeIsDefault = false

    /// Renders `template` (its ancestors' bodies, the most derived named blocks) into bytes.
    static func render(_ template: Template, variables: [String: TemplateValue]) throws(TemplateError) -> [UInt8] {
        var renderer = TemplateRenderer()
        let chain = try template.ancestors()
        for ancestor in chain { try renderer.collectBlocks(ancestor.nodes, in: ancestor, depth: 0) }
        var scope = RenderScope(variables, symbols: template.symbols)
        if case .function(let escape) = variables["xhtml_escape"] ?? .none {
            renderer.xhtmlEscapeIsDefault = escape === TemplateNamespace.xhtmlEscape
        }
        var output: [UInt8] = []
        output.reserveCapacity(16_384)
        _ = try renderer.render(chain[0].nodes, in: chain[0], &scope, &output)
        return output
    }

    /// Tornado's `find_named_blocks`: later (more derived) definitions win; includes count.
    private mutating func collectBlocks(_ nodes: [TemplateNode], in template: Template, depth: Int)
        throws(TemplateError)
    {
        for node in nodes {
            switch node {
            case .block(let name, let body, _):
                blocks[name] = (body, template)
                try collectBlocks(body, in: template, depth: depth)
            case .conditional(let branches, let otherwise):
                for (_, body, _) in branches { try collectBlocks(body, in: template, depth: depth) }
                if let otherwise { try collectBlocks(otherwise, in: template, depth: depth) }
            case .loop(_, _, let body, let otherwise, _), .repeating(_, let body, let otherwise, _):
                try collectBlocks(body, in: template, depth: depth)
                if let otherwise { try collectBlocks(otherwise, in: template, depth: depth) }
            case .apply(_, let body, _):
                try collectBlocks(body, in: template, depth: depth)
            case .attempt(let body, let except, let finally, _):
                try collectBlocks(body + (except ?? []) + (finally ?? []), in: template, depth: depth)
            case .include(let name, let path, let line):
                guard depth < 64 else {
                    throw TemplateError(.evaluation, "include nested too deeply", template: template.name, line: line)
                }
                let included = try load(name, path, from: template, line: line)
                try collectBlocks(included.nodes, in: included, depth: depth + 1)
            default:
                break
            }
        }
    }

    /// The template an `include` names: at its resolved `path` when the parser found one.
    private func load(_ name: String, _ path: String?, from template: Template, line: Int) throws(TemplateError)
        -> Template
    {
        guard let loader = template.loader else {
            throw TemplateError(.syntax, "include needs a template loader", template: template.name, line: line)
        }
        guard let path else { return try loader.load(name, parent: template.name, line: line) }
        return try loader.load(resolved: path, parent: template.name, line: line)
    }

    /// How a run of nodes ended.
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    private func evaluate(_ expression: CompiledExpression, _ template: Template, _ line: Int, _ scope: RenderScope)
        throws(TemplateError) -> TemplateValue
    {
        do {
            return try expression.run(scope)
        } catch {
            throw TemplateError(
                .evaluation, error.message, template: template.name, line: line, underlying: error.underlying)
        }
    }

    mutating func render(
        _ nodes: [TemplateNode], in template: Template, _ scope: inout RenderScope, _ output: inout [UInt8]
    ) throws(TemplateError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let bytes):
                output.append(contentsOf: bytes)
            case .expression(let expression, let raw, let line):
                let value = try evaluate(expression, template, line, scope)
                if raw {
                    value.write(to: &output)
                } else {
                    try writeEscaped(value, template, line, scope, &output)
                }
            case .member(let slot, let key, let expression, let raw, let line):
                let escaped = !raw && template.autoescapeSlot != nil
                if (raw || template.autoescapeSlot == nil || (template.escapesWithXHTML && xhtmlEscapeIsDefault)),
                    slot < scope.slots.count,
                    scope.slots.withUnsafeBufferPointer({ $0[slot]?.writeMember(key, escaped: escaped, to: &output) })
                        == true
                {
                    break
                }
                let value = try evaluate(expression, template, line, scope)
                if raw {
                    value.write(to: &output)
                } else {
                    try writeEscaped(value, template, line, scope, &output)
                }
            case .module(let expression, let line):
                try evaluateModule(expression, template, line, scope).write(to: &output)
            case .conditional(let branches, let otherwise):
                var taken: [TemplateNode]? = otherwise
                for (condition, body, line) in branches where try evaluate(condition, template, line, scope).isTruthy {
                    taken = body
                    break
                }
                if let taken {
                    let flow = try render(taken, in: template, &scope, &output)
                    if flow != .normal { return flow }
                }
            case .loop(let targets, let iterable, let body, let otherwise, let line):
                let items: [TemplateValue]
                do {
                    items = try Builtins.iterate(try iterable.run(scope))
                } catch {
                    throw TemplateError(
                        .evaluation, error.message, template: template.name, line: line, underlying: error.underlying)
                }
                var broke = false
                for item in items {
                    try bind(targets, item, template, line, &scope)
                    if try render(body, in: template, &scope, &output) == .breakLoop {
                        broke = true
                        break
                    }
                }
                if !broke, let otherwise {
                    let flow = try render(otherwise, in: template, &scope, &output)
                    if flow != .normal { return flow }  // a break in the else belongs to an outer loop
                }
            case .repeating(let condition, let body, let otherwise, let line):
                var broke = false
                var rounds = 0
                while try evaluate(condition, template, line, scope).isTruthy {
                    rounds += 1
                    guard rounds <= 10_000_000 else {
                        throw TemplateError(
                            .evaluation, "while loop ran 10,000,000 times", template: template.name, line: line)
                    }
                    if try render(body, in: template, &scope, &output) == .breakLoop {
                        broke = true
                        break
                    }
                }
                if !broke, let otherwise {
                    let flow = try render(otherwise, in: template, &scope, &output)
                    if flow != .normal { return flow }
                }
            case .assignment(let target, let slot, let op, let expression, let line):
                var value = try evaluate(expression, template, line, scope)
                if let op {
                    guard let current = scope.value(at: slot) else {
                        throw TemplateError(
                            .evaluation, "name '\(target)' is not defined", template: template.name, line: line)
                    }
                    do {
                        value = try Arithmetic.apply(op, current, value)
                    } catch {
                        throw TemplateError(
                            .evaluation, error.message, template: template.name, line: line,
                            underlying: error.underlying)
                    }
                }
                scope.set(slot, value)
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            case .block(let name, let body, _):
                let chosen = blocks[name] ?? (body, template)
                let flow = try render(chosen.body, in: chosen.template, &scope, &output)
                if flow != .normal { return flow }
            case .include(let name, let path, let line):
                let included = try load(name, path, from: template, line: line)
                depth += 1
                defer { depth -= 1 }
                guard depth < 64 else {
                    throw TemplateError(.evaluation, "include nested too deeply", template: template.name, line: line)
                }
                _ = try render(included.nodes, in: included, &scope, &output)
            case .apply(let function, let body, let line):
                var inner: [UInt8] = []
                _ = try render(body, in: template, &scope, &inner)
                let argument = TemplateValue.string(String(decoding: inner, as: UTF8.self))
                try call(evaluate(function, template, line, scope), [argument], template, line).write(to: &output)
            case .attempt(let body, let except, let finally, _):
                // Python's try: what the body wrote stays; `except` handles an evaluation error;
                // `finally` always runs, and a break or continue in it wins.
                var flow = Flow.normal
                var pending: TemplateError?
                do throws(TemplateError) {
                    flow = try render(body, in: template, &scope, &output)
                } catch {
                    if let except, error.kind == .evaluation {
                        do throws(TemplateError) {
                            flow = try render(except, in: template, &scope, &output)
                        } catch {
                            pending = error
                        }
                    } else {
                        pending = error
                    }
                }
                if let finally {
                    let finalFlow = try render(finally, in: template, &scope, &output)
                    if finalFlow != .normal { return finalFlow }
                }
                if let pending { throw pending }
                if flow != .normal { return flow }
            }
        }
        return .normal
    }

    private func bind(
        _ targets: [Int], _ item: TemplateValue, _ template: Template, _ line: Int, _ scope: inout RenderScope
    ) throws(TemplateError) {
        if targets.count == 1 {
            scope.set(targets[0], item)
            return
        }
        guard case .list(let parts) = item, parts.count == targets.count else {
            throw TemplateError(
                .evaluation, "cannot unpack \(item.typeName) into \(targets.count) names", template: template.name,
                line: line)
        }
        for index in targets.indices { scope.set(targets[index], parts[index]) }
    }

    private func call(_ function: TemplateValue, _ arguments: [TemplateValue], _ template: Template, _ line: Int)
        throws(TemplateError) -> TemplateValue
    {
        guard case .function(let body) = function else {
            throw TemplateError(
                .evaluation, "'\(function.typeName)' object is not callable", template: template.name, line: line)
        }
        do {
            return try body.call(TemplateArguments(arguments))
        } catch let error as EvaluationError {
            throw TemplateError(
                .evaluation, error.message, template: template.name, line: line, underlying: error.underlying)
        } catch {
            throw TemplateError(
                .evaluation, "\(body.name)(): \(error)", template: template.name, line: line, underlying: error)
        }
    }

    /// `{% module Name(args) %}`: `Name` is looked up among the UI modules (`_tt_modules`)
    /// first, then as an ordinary name.
    private func evaluateModule(
        _ expression: CompiledExpression, _ template: Template, _ line: Int, _ scope: RenderScope
    ) throws(TemplateError) -> TemplateValue {
        // Only UI modules: anything else would be a way to print a value unescaped.
        guard case .call(.variable(let name, _, _), let positional, let keyword) = expression.expression else {
            throw TemplateError(
                .evaluation, "{% module %} needs a UI module call, like Name(...)", template: template.name, line: line)
        }
        guard case .dictionary(let modules) = scope.value(at: SymbolTable.modulesSlot) ?? .none,
            let module = modules[name]
        else {
            throw TemplateError(.evaluation, "no UI module named \(name)", template: template.name, line: line)
        }
        let call = CompiledExpression(.call(.literal(module), positional, keyword))
        return try evaluate(call, template, line, scope)
    }

    private func writeEscaped(
        _ value: TemplateValue, _ template: Template, _ line: Int, _ scope: RenderScope, _ output: inout [UInt8]
    ) throws(TemplateError) {
        guard let slot = template.autoescapeSlot else {
            value.write(to: &output)
            return
        }
        if template.escapesWithXHTML && xhtmlEscapeIsDefault {
            value.writeEscaped(to: &output)  // the default, without a call
            return
        }
        try call(scope.value(at: slot) ?? .none, [.string(value.text)], template, line).write(to: &output)
    }
}
