/// Parses Tornado's template syntax into nodes. Tornado: `tornado.template._parse`.
struct TemplateParser {
    /// What a parse produces besides the nodes.
    struct Result {
        var nodes: [TemplateNode]
        /// `{% extends %}` at the top level: the parent's name and line.
        var extends: (name: String, line: Int)?
        /// `{% autoescape %}` anywhere sets it for the whole template, as in Tornado.
        var autoescape: String??
    }

    private let name: String
    private let symbols: SymbolTable
    private let text: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    private var whitespace: WhitespaceMode
    private var extends: (name: String, line: Int)?
    /// How many blocks are open; parsing and rendering recurse per level.
    private var nesting = 0
    /// Blocks nested deeper than this are refused, so neither parsing nor rendering can exhaust
    /// the stack.
    static let maximumNesting = 100
    private var autoescape: String??

    static func parse(_ source: String, name: String, whitespace: WhitespaceMode, symbols: SymbolTable)
        throws(TemplateError) -> Result
    {
        var parser = TemplateParser(
            name: name, symbols: symbols, text: Array(source.unicodeScalars), whitespace: whitespace)
        let nodes = try parser.parseBody(block: nil, inLoop: false).nodes
        return Result(nodes: nodes, extends: parser.extends, autoescape: parser.autoescape)
    }

    private init(name: String, symbols: SymbolTable, text: [Unicode.Scalar], whitespace: WhitespaceMode) {
        self.name = name
        self.symbols = symbols
        self.text = text
        self.whitespace = whitespace
    }

    private func error(_ message: String, line: Int? = nil) -> TemplateError {
        TemplateError(.syntax, message, template: name, line: line ?? self.line)
    }

    /// Consumes `count` scalars, counting newlines.
    private mutating func consume(_ count: Int) -> String {
        let end = min(position + count, text.count)
        var out = String.UnicodeScalarView()
        for scalar in text[position..<end] {
            if scalar == "\n" { line += 1 }
            out.append(scalar)
        }
        position = end
        return String(out)
    }

    private func find(_ a: Unicode.Scalar, _ b: Unicode.Scalar, from start: Int) -> Int? {
        var index = start
        while index + 1 < text.count {
            if text[index] == a && text[index + 1] == b { return index }
            index += 1
        }
        return nil
    }

    /// How a body ended: at the end of the text, or at an intermediate/end tag of its block.
    private enum Ending {
        case endOfText
        case end
        case intermediate(operator: String, suffix: String, line: Int)
    }

    private mutating func appendText(_ raw: String, to nodes: inout [TemplateNode]) {
        let value = raw.contains("<pre>") ? raw : whitespace.filter(raw)
        if !value.isEmpty { nodes.append(.text(Array(value.utf8))) }
    }

    /// Parses until the text ends (top level) or the block's `{% end %}` or intermediate tag.
    private mutating func parseBody(block: String?, inLoop: Bool) throws(TemplateError) -> (
        nodes: [TemplateNode], ending: Ending
    ) {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumNesting else { throw error("blocks nested more than \(Self.maximumNesting) deep") }
        var nodes: [TemplateNode] = []
        while true {
            // The next `{{`, `{%` or `{#`; with more curlies in a row, the innermost pair.
            var curly = position
            while true {
                while curly < text.count && text[curly] != "{" { curly += 1 }
                if curly >= text.count - 1 {
                    if let block { throw error("Missing {% end %} block for \(block)") }
                    appendText(consume(text.count - position), to: &nodes)
                    return (nodes, .endOfText)
                }
                let next = text[curly + 1]
                if next != "{" && next != "%" && next != "#" {
                    curly += 1
                    continue
                }
                if curly + 2 < text.count && next == "{" && text[curly + 2] == "{" {
                    curly += 1
                    continue
                }
                break
            }
            if curly > position { appendText(consume(curly - position), to: &nodes) }
            let startBrace = consume(2)
            let startLine = line
            if position < text.count && text[position] == "!" {  // `{{!` prints `{{`
                _ = consume(1)
                nodes.append(.text(Array(startBrace.utf8)))
                continue
            }
            switch startBrace {
            case "{#":
                guard let end = find("#", "}", from: position) else { throw error("Missing end comment #}") }
                _ = consume(end - position + 2)
            case "{{":
                guard let end = find("}", "}", from: position) else { throw error("Missing end expression }}") }
                let contents = consume(end - position).trimmingWhitespace()
                _ = consume(2)
                guard !contents.isEmpty else { throw error("Empty expression", line: startLine) }
                nodes.append(Self.output(try expression(contents, line: startLine), raw: false, line: startLine))
            default:
                guard let end = find("%", "}", from: position) else { throw error("Missing end block %}") }
                let contents = consume(end - position).trimmingWhitespace()
                _ = consume(2)
                guard !contents.isEmpty else { throw error("Empty block tag ({% %})", line: startLine) }
                let (op, suffix) = Self.split(contents)
                if let ending = try statement(op, suffix, line: startLine, block: block, inLoop: inLoop, into: &nodes) {
                    return (nodes, ending)
                }
            }
        }
    }

    /// The node that prints `expression`: `.member` for `name["key"]` and `name.key`.
    private static func output(_ expression: CompiledExpression, raw: Bool, line: Int) -> TemplateNode {
        switch expression.expression {
        case .key(.variable(_, let slot, _), let key):
            return .member(slot: slot, key: TemplateKey(key), expression, raw: raw, line: line)
        default:
            return .expression(expression, raw: raw, line: line)
        }
    }

    private static func split(_ contents: String) -> (String, String) {
        guard let space = contents.firstIndex(of: " ") else { return (contents, "") }
        return (String(contents[..<space]), String(contents[contents.index(after: space)...]).trimmingWhitespace())
    }

    private func expression(_ source: String, line: Int) throws(TemplateError) -> CompiledExpression {
        do {
            return CompiledExpression(try ExpressionParser.parse(source, symbols: symbols))
        } catch {
            throw self.error("\(error.message) in `\(source)`", line: line)
        }
    }

    private static let intermediateParents: [String: Set<String>] = [
        "else": ["if", "for", "while", "try"], "elif": ["if"], "except": ["try"], "finally": ["try"],
    ]

    /// Handles one `{% ... %}` tag; returns an ending when the tag closes the current body.
    private mutating func statement(
        _ op: String, _ suffix: String, line: Int, block: String?, inLoop: Bool, into nodes: inout [TemplateNode]
    ) throws(TemplateError) -> Ending? {
        if let parents = Self.intermediateParents[op] {
            guard let block else {
                throw error("\(op) outside \(parents.sorted().joined(separator: "/")) block", line: line)
            }
            guard parents.contains(block) else {
                throw error("\(op) block cannot be attached to \(block) block", line: line)
            }
            return .intermediate(operator: op, suffix: suffix, line: line)
        }
        switch op {
        case "end":
            guard block != nil else { throw error("Extra {% end %} block", line: line) }
            return .end
        case "comment":
            return nil
        case "extends", "include":
            let target = String(suffix.trimmingCharacters("\"'"))
            guard !target.isEmpty else { throw error("\(op) missing file path", line: line) }
            if op == "include" {
                var path: String?
                if case .path(let resolved) = TemplateLoader.normalize(target, parent: name) { path = resolved }
                nodes.append(.include(name: target, path: path, line: line))
            } else if extends == nil && block == nil {  // Tornado reads extends at the top level only
                extends = (target, line)
            }
        case "set":
            guard !suffix.isEmpty else { throw error("set missing statement", line: line) }
            nodes.append(try assignment(suffix, line: line))
        case "autoescape":
            autoescape = .some(suffix == "None" ? nil : suffix)
        case "whitespace":
            guard let mode = WhitespaceMode(rawValue: suffix) else {
                throw error("invalid whitespace mode \(suffix)", line: line)
            }
            whitespace = mode
        case "raw":
            nodes.append(Self.output(try expression(suffix, line: line), raw: true, line: line))
        case "module":
            nodes.append(.module(try expression(suffix, line: line), line: line))
        case "import", "from":
            throw error("{% \(op) %} is not supported: Swift templates cannot import Python modules", line: line)
        case "break", "continue":
            guard inLoop else { throw error("\(op) outside for/while block", line: line) }
            nodes.append(op == "break" ? .breakLoop : .continueLoop)
        case "if":
            nodes.append(try conditional(suffix, line: line, inLoop: inLoop))
        case "for":
            nodes.append(try loop(suffix, line: line, inLoop: inLoop))
        case "while":
            let condition = try expression(suffix, line: line)
            let (body, otherwise) = try bodyWithElse("while", outerLoop: inLoop, line: line)
            nodes.append(.repeating(condition, body: body, otherwise: otherwise, line: line))
        case "block":
            guard !suffix.isEmpty else { throw error("block missing name", line: line) }
            let parsed = try parseBody(block: "block", inLoop: inLoop)
            nodes.append(.block(name: suffix, body: parsed.nodes, line: line))
        case "apply":
            guard !suffix.isEmpty else { throw error("apply missing method name", line: line) }
            let function = try expression(suffix, line: line)
            let parsed = try parseBody(block: "apply", inLoop: false)
            nodes.append(.apply(function, body: parsed.nodes, line: line))
        case "try":
            nodes.append(try attempt(line: line, inLoop: inLoop))
        default:
            throw error("unknown operator: \(TemplateValue.pythonQuote(op))", line: line)
        }
        return nil
    }

    private func assignment(_ statement: String, line: Int) throws(TemplateError) -> TemplateNode {
        // `name op= value`: the operator is what stands right before the first `=`, so a `+=`
        // inside a string value is just text.
        guard let equals = statement.firstIndex(of: "=") else {
            throw error("set needs 'name = value': \(statement)", line: line)
        }
        let left = statement[..<equals]
        for (symbol, op) in [("+", Expression.BinaryOperator.add), ("-", .subtract), ("*", .multiply)]
        where left.hasSuffix(symbol) {
            let target = left.dropLast().trimmingWhitespace()
            try checkName(target, line: line)
            return .assignment(
                target: target, slot: symbols.slot(for: target), op,
                try expression(String(statement[statement.index(after: equals)...]), line: line), line: line)
        }
        let target = left.trimmingWhitespace()
        try checkName(target, line: line)
        return .assignment(
            target: target, slot: symbols.slot(for: target), nil,
            try expression(String(statement[statement.index(after: equals)...]), line: line),
            line: line)
    }

    private func checkName(_ name: String, line: Int) throws(TemplateError) {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
            name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        else { throw error("cannot assign to \(TemplateValue.pythonQuote(name))", line: line) }
    }

    private mutating func conditional(_ suffix: String, line: Int, inLoop: Bool) throws(TemplateError) -> TemplateNode {
        var branches: [(CompiledExpression, [TemplateNode], line: Int)] = []
        var condition = try expression(suffix, line: line)
        var conditionLine = line
        while true {
            let parsed = try parseBody(block: "if", inLoop: inLoop)
            branches.append((condition, parsed.nodes, conditionLine))
            switch parsed.ending {
            case .intermediate("elif", let next, let nextLine):
                condition = try expression(next, line: nextLine)
                conditionLine = nextLine
            case .intermediate("else", _, _):
                let rest = try parseBody(block: "if", inLoop: inLoop)
                guard case .end = rest.ending else { throw error("expected {% end %} after {% else %}") }
                return .conditional(branches, otherwise: rest.nodes)
            default:
                return .conditional(branches, otherwise: nil)
            }
        }
    }

    /// The `in` of `for a, b in items`: the word, not letters inside a name (`for x in[1, 2]`
    /// and `for index in indexes` both work).
    private static func inKeyword(_ text: String) -> Range<String.Index>? {
        var searchStart = text.startIndex
        while let range = text[searchStart...].firstRange(of: "in") {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let isWord = { (character: Character?) in character.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
            }
            if let before, before.isWhitespace || before == ")", !isWord(after), after != nil {
                return range
            }
            searchStart = range.upperBound
        }
        return nil
    }

    private mutating func loop(_ suffix: String, line: Int, inLoop: Bool) throws(TemplateError) -> TemplateNode {
        guard let inRange = Self.inKeyword(suffix) else {
            throw error("for needs 'names in expression'", line: line)
        }
        var targetText = suffix[..<inRange.lowerBound].trimmingWhitespace()
        if targetText.hasPrefix("(") && targetText.hasSuffix(")") {
            targetText = String(targetText.dropFirst().dropLast())
        }
        let targets = targetText.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !targets.isEmpty else { throw error("for needs a loop variable", line: line) }
        for target in targets { try checkName(target, line: line) }
        let iterable = try expression(String(suffix[inRange.upperBound...]), line: line)
        let (body, otherwise) = try bodyWithElse("for", outerLoop: inLoop, line: line)
        return .loop(targets: targets.map(symbols.slot(for:)), iterable, body: body, otherwise: otherwise, line: line)
    }

    /// A loop's body (where `break` is allowed) and its `{% else %}` (where `break` belongs to
    /// an enclosing loop, if any).
    private mutating func bodyWithElse(_ block: String, outerLoop: Bool, line: Int) throws(TemplateError) -> (
        [TemplateNode], [TemplateNode]?
    ) {
        let parsed = try parseBody(block: block, inLoop: true)
        guard case .intermediate("else", _, _) = parsed.ending else { return (parsed.nodes, nil) }
        let rest = try parseBody(block: block, inLoop: outerLoop)
        guard case .end = rest.ending else { throw error("expected {% end %} after {% else %}") }
        return (parsed.nodes, rest.nodes)
    }

    private mutating func attempt(line: Int, inLoop: Bool) throws(TemplateError) -> TemplateNode {
        var parsed = try parseBody(block: "try", inLoop: inLoop)
        let body = parsed.nodes
        var except: [TemplateNode]?
        var finally: [TemplateNode]?
        while case .intermediate(let op, _, let tagLine) = parsed.ending {
            parsed = try parseBody(block: "try", inLoop: inLoop)
            // Python's own rules, which Tornado's compiled template meets as a SyntaxError: one
            // (bare) except, and nothing after finally.
            guard finally == nil else { throw error("{% \(op) %} after {% finally %}", line: tagLine) }
            switch op {
            case "except" where except == nil: except = parsed.nodes
            case "except": throw error("a second {% except %} in a try block", line: tagLine)
            case "finally": finally = parsed.nodes
            default: throw error("{% \(op) %} is not supported in a try block", line: tagLine)
            }
        }
        guard except != nil || finally != nil else {
            throw error("{% try %} needs an {% except %} or a {% finally %}", line: line)
        }
        return .attempt(body: body, except: except, finally: finally, line: line)
    }
}

extension String {
    func trimmingCharacters(_ set: String) -> Substring {
        let start = firstIndex { !set.contains($0) } ?? endIndex
        let end = lastIndex { !set.contains($0) }.map { index(after: $0) } ?? start
        return start < end ? self[start..<end] : ""
    }
}
