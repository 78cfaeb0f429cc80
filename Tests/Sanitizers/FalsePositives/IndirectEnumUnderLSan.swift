// A template-shaped tree of indirect enums, alive in a global until exit, that LeakSanitizer
// on Linux reports as leaked: Swift keeps a multi-payload enum's tag in its box pointer's spare
// bits, and LSan, which finds live objects by scanning memory for pointer values, does not see
// a pointer with its high bits set. Built and run by false-positives.sh; Docs/Sanitizers.md.
struct Expression {
    var name: String
    var slot: Int
}

indirect enum Node {
    case text([UInt8])
    case expression(Expression, raw: Bool, line: Int)
    case member(slot: Int, key: String, Expression, raw: Bool, line: Int)
    case block([Node])
}

final class Template {
    let nodes: [Node]
    init(_ nodes: [Node]) { self.nodes = nodes }
}

final class Cache {
    var templates: [String: Template] = [:]
}

let cache = Cache()
let nodes: [Node] = (0..<8).map { line in
    line.isMultiple(of: 2)
        ? .member(slot: line, key: "k\(line)", Expression(name: "v", slot: line), raw: false, line: line)
        : .expression(Expression(name: "e", slot: line), raw: true, line: line)
}
cache.templates["page.html"] = Template([.block(nodes), .text([60, 112, 62])])
print("\(cache.templates.count) template alive at exit")
