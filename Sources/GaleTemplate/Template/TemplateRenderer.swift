/// One render: the output buffer, the variables (one scope per render, as Tornado's compiled
/// function has), and which named blocks replace which.
final class TemplateRenderer: ExpressionScope {
    var output = ""
    private var variables: [String: TemplateValue]
    /// The body each `{% block %}` name renders, and the template it came from.
    private var blocks: [String: (body: [TemplateNode], template: Template)] = [:]
    private var depth = 0

    init(variables: [String: TemplateValue]) {
        self.variables = variables
        output.reserveCapacity(4096)
    }

    func lookup(_ name: String) -> TemplateValue? { variables[name] }

    /// Renders `template`, with its ancestors' bodies and the most derived named blocks.
    func render(_ template: Template) throws(TemplateError) {
        let chain = try template.ancestors()
        for ancestor in chain { try collectBlocks(ancestor.nodes, in: ancestor) }
        _ = try render(chain[0].nodes, in: chain[0])
    }

    /// Tornado's `find_named_blocks`: later (more derived) definitions win; includes count.
    private func collectBlocks(_ nodes: [TemplateNode], in template: Template) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .block(let name, let body, _):
                blocks[name] = (body, template)
                try collectBlocks(body, in: template)
            case .conditional(let branches, let otherwise, _):
                for (_, body) in branches { try collectBlocks(body, in: template) }
                if let otherwise { try collectBlocks(otherwise, in: template) }
            case .loop(_, _, let body, let otherwise, _), .repeating(_, let body, let otherwise, _):
                try collectBlocks(body, in: template)
                if let otherwise { try collectBlocks(otherwise, in: template) }
            case .apply(_, let body, _):
                try collectBlocks(body, in: template)
            case .attempt(let body, let except, let finally, _):
                try collectBlocks(body + (except ?? []) + (finally ?? []), in: template)
            case .include(let name, let line):
                let included = try load(name, from: template, line: line)
                try collectBlocks(included.nodes, in: included)
            default:
                break
            }
        }
    }

    private func load(_ name: String, from template: Template, line: Int) throws(TemplateError) -> Template {
        guard let loader = template.loader else {
            throw TemplateError(.syntax, "include needs a template loader", template: template.name, line: line)
        }
        return try loader.load(name, parent: template.name, line: line)
    }

    /// How a run of nodes ended.
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    private func evaluate(_ expression: Expression, _ template: Template, _ line: Int) throws(TemplateError)
        -> TemplateValue
    {
        do {
            return try expression.evaluate(in: self)
        } catch {
            throw TemplateError(.evaluation, error.message, template: template.name, line: line)
        }
    }

    func render(_ nodes: [TemplateNode], in template: Template) throws(TemplateError) -> Flow {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .expression(let expression, let raw, let line):
                let value = try evaluate(expression, template, line)
                if raw {
                    output += value.text
                } else {
                    try writeEscaped(value, template, line)
                }
            case .module(let expression, let line):
                output += try evaluateModule(expression, template, line).text
            case .conditional(let branches, let otherwise, let line):
                var taken: [TemplateNode]? = otherwise
                for (condition, body) in branches where try evaluate(condition, template, line).isTruthy {
                    taken = body
                    break
                }
                if let taken {
                    let flow = try render(taken, in: template)
                    if flow != .normal { return flow }
                }
            case .loop(let targets, let iterable, let body, let otherwise, let line):
                let items: [TemplateValue]
                do {
                    items = try Builtins.iterate(try iterable.evaluate(in: self))
                } catch {
                    throw TemplateError(.evaluation, error.message, template: template.name, line: line)
                }
                var broke = false
                for item in items {
                    try bind(targets, item, template, line)
                    if try render(body, in: template) == .breakLoop {
                        broke = true
                        break
                    }
                }
                if !broke, let otherwise { _ = try render(otherwise, in: template) }
            case .repeating(let condition, let body, let otherwise, let line):
                var broke = false
                var rounds = 0
                while try evaluate(condition, template, line).isTruthy {
                    rounds += 1
                    guard rounds <= 10_000_000 else {
                        throw TemplateError(
                            .evaluation, "while loop ran 10,000,000 times", template: template.name, line: line)
                    }
                    if try render(body, in: template) == .breakLoop {
                        broke = true
                        break
                    }
                }
                if !broke, let otherwise { _ = try render(otherwise, in: template) }
            case .assignment(let target, let op, let expression, let line):
                var value = try evaluate(expression, template, line)
                if let op {
                    guard let current = variables[target] else {
                        throw TemplateError(
                            .evaluation, "name '\(target)' is not defined", template: template.name, line: line)
                    }
                    do {
                        value = try Arithmetic.apply(op, current, value)
                    } catch {
                        throw TemplateError(.evaluation, error.message, template: template.name, line: line)
                    }
                }
                variables[target] = value
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            case .block(let name, let body, _):
                let chosen = blocks[name] ?? (body, template)
                let flow = try render(chosen.body, in: chosen.template)
                if flow != .normal { return flow }
            case .include(let name, let line):
                let included = try load(name, from: template, line: line)
                depth += 1
                defer { depth -= 1 }
                guard depth < 64 else {
                    throw TemplateError(.evaluation, "include nested too deeply", template: template.name, line: line)
                }
                _ = try render(included.nodes, in: included)
            case .apply(let function, let body, let line):
                let saved = output
                output = ""
                _ = try render(body, in: template)
                let inner = output
                output = saved
                output += try call(evaluate(function, template, line), [.string(inner)], template, line).text
            case .attempt(let body, let except, let finally, _):
                let mark = output.utf8.count
                do throws(TemplateError) {
                    let flow = try render(body, in: template)
                    if let finally { _ = try render(finally, in: template) }
                    if flow != .normal { return flow }
                } catch {
                    guard let except, error.kind == .evaluation else { throw error }
                    output = String(decoding: output.utf8.prefix(mark), as: UTF8.self)
                    _ = try render(except, in: template)
                    if let finally { _ = try render(finally, in: template) }
                }
            }
        }
        return .normal
    }

    private func bind(_ targets: [String], _ item: TemplateValue, _ template: Template, _ line: Int)
        throws(TemplateError)
    {
        if targets.count == 1 {
            variables[targets[0]] = item
            return
        }
        guard case .list(let parts) = item, parts.count == targets.count else {
            throw TemplateError(
                .evaluation, "cannot unpack \(item.typeName) into \(targets.count) names", template: template.name,
                line: line)
        }
        for (target, part) in zip(targets, parts) { variables[target] = part }
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
            throw TemplateError(.evaluation, error.message, template: template.name, line: line)
        } catch {
            throw TemplateError(.evaluation, "\(body.name)(): \(error)", template: template.name, line: line)
        }
    }

    /// `{% module Name(args) %}`: `Name` is looked up among the UI modules (`_tt_modules`)
    /// first, then as an ordinary name.
    private func evaluateModule(_ expression: Expression, _ template: Template, _ line: Int) throws(TemplateError)
        -> TemplateValue
    {
        if case .call(.name(let name), let positional, let keyword) = expression,
            case .dictionary(let modules) = variables[TemplateNamespace.modulesKey] ?? .none,
            let module = modules[name]
        {
            return try evaluate(.call(.literal(module), positional, keyword), template, line)
        }
        return try evaluate(expression, template, line)
    }

    private func writeEscaped(_ value: TemplateValue, _ template: Template, _ line: Int) throws(TemplateError) {
        guard let escape = template.autoescape else {
            output += value.text
            return
        }
        if escape == "xhtml_escape", case .function(let function) = variables[escape] ?? .none,
            function === TemplateNamespace.xhtmlEscape
        {
            Escape.appendXHTMLEscaped(value.text, to: &output)  // the default, without a call
            return
        }
        output += try call(variables[escape] ?? .none, [.string(value.text)], template, line).text
    }
}
