/// The Python builtins and methods templates may use: `len`, `range`, `enumerate`, `str`,
/// `int`, `float`, `bool`, `list`, `sorted`, `reversed`, `min`, `max`, `abs`, `sum`, `zip`,
/// `round`; string, list and dictionary methods; attributes, subscripts and slices.
enum Builtins {
    /// The most numbers `range()` makes (Python's range is lazy; this one is a list).
    static let maximumRange = 1_000_000

    static func function(named name: String) -> TemplateValue? {
        table[name].map(TemplateValue.function)
    }

    private static let table: [String: TemplateFunction] = {
        var table: [String: TemplateFunction] = [:]
        func define(_ name: String, _ body: @escaping @Sendable (TemplateArguments) throws -> TemplateValue) {
            table[name] = TemplateFunction(name, body)
        }
        define("len") { arguments in
            switch try one(arguments, "len") {
            case .string(let text): .int(text.unicodeScalars.count)  // code points, as Python counts
            case .list(let items): .int(items.count)
            case .dictionary(let dictionary): .int(dictionary.count)
            case let value: throw EvaluationError(message: "object of type '\(value.typeName)' has no len()")
            }
        }
        define("range") { arguments in
            let bounds = try arguments.positional.map { value throws(EvaluationError) -> Int in
                guard case .int(let number) = value else {
                    throw EvaluationError(message: "range() takes integers, not '\(value.typeName)'")
                }
                return number
            }
            let (start, stop, step): (Int, Int, Int)
            switch bounds.count {
            case 1: (start, stop, step) = (0, bounds[0], 1)
            case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
            case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
            default: throw EvaluationError(message: "range() takes 1 to 3 arguments")
            }
            guard step != 0 else { throw EvaluationError(message: "range() step must not be zero") }
            var values: [TemplateValue] = []
            for value in stride(from: start, to: stop, by: step) {
                guard values.count < maximumRange else {
                    throw EvaluationError(message: "range() of more than \(maximumRange) numbers")
                }
                values.append(.int(value))
            }
            return .list(values)
        }
        define("enumerate") { arguments in
            let start = arguments.value(1, "start").flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0
            let items = try iterate(try one(arguments, "enumerate", allowExtra: true))
            guard start.addingReportingOverflow(items.count).overflow == false else {
                throw EvaluationError(message: "enumerate() start is too large")
            }
            return .list(items.enumerated().map { .list([.int($0.offset + start), $0.element]) })
        }
        define("str") { arguments in .string(arguments.positional.first?.text ?? "") }
        define("bool") { arguments in .bool(arguments.positional.first?.isTruthy ?? false) }
        define("int") { arguments in
            switch try one(arguments, "int") {
            case .int(let value): .int(value)
            case .bool(let value): .int(value ? 1 : 0)
            case .double(let value) where value.isFinite && abs(value) < 9e18: .int(Int(value))
            case .string(let text):
                try Int(text.trimmingWhitespace()).map(TemplateValue.int)
                    ?? {
                        throw EvaluationError(message: "invalid literal for int(): \(TemplateValue.pythonQuote(text))")
                    }()
            case let value: throw EvaluationError(message: "int() cannot convert '\(value.typeName)'")
            }
        }
        define("float") { arguments in
            switch try one(arguments, "float") {
            case .int(let value): .double(Double(value))
            case .double(let value): .double(value)
            case .bool(let value): .double(value ? 1 : 0)
            case .string(let text):
                try Double(text.trimmingWhitespace()).map(TemplateValue.double)
                    ?? {
                        throw EvaluationError(
                            message: "could not convert string to float: \(TemplateValue.pythonQuote(text))")
                    }()
            case let value: throw EvaluationError(message: "float() cannot convert '\(value.typeName)'")
            }
        }
        define("list") { arguments in .list(try arguments.positional.first.map(iterate) ?? []) }
        define("reversed") { arguments in .list(try iterate(try one(arguments, "reversed")).reversed()) }
        define("sorted") { arguments in
            var items = try iterate(try one(arguments, "sorted", allowExtra: true))
            var failure: EvaluationError?
            items.sort { a, b in
                do throws(EvaluationError) { return try Arithmetic.compare(.less, a, b) } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            if arguments.value(1, "reverse")?.isTruthy == true { items.reverse() }
            return .list(items)
        }
        define("min") { arguments in try extreme(arguments, "min", .less) }
        define("max") { arguments in try extreme(arguments, "max", .greater) }
        define("abs") { arguments in
            switch try one(arguments, "abs") {
            case .int(let value) where value != .min: .int(abs(value))
            case .double(let value): .double(abs(value))
            case let value: throw EvaluationError(message: "bad operand type for abs(): '\(value.typeName)'")
            }
        }
        define("sum") { arguments in
            try iterate(try one(arguments, "sum")).reduce(TemplateValue.int(0)) {
                total, value throws(EvaluationError) in
                try Arithmetic.apply(.add, total, value)
            }
        }
        define("zip") { arguments in
            let lists = try arguments.positional.map(iterate)
            let count = lists.map(\.count).min() ?? 0
            return .list((0..<count).map { index in .list(lists.map { $0[index] }) })
        }
        define("round") { arguments in
            let digits = arguments.value(1, "ndigits").flatMap { if case .int(let n) = $0 { n } else { nil } }
            switch try one(arguments, "round", allowExtra: true) {
            case .int(let value): return .int(value)
            case .double(let value):
                guard value.isFinite else {
                    throw EvaluationError(message: "cannot round \(TemplateValue.pythonFloat(value))")
                }
                guard let digits else {
                    let rounded = value.rounded(.toNearestOrEven)
                    guard let integer = Int(exactly: rounded) else {
                        throw EvaluationError(message: "round() result is too large")
                    }
                    return .int(integer)
                }
                var scale = 1.0
                for _ in 0..<min(max(digits, 0), 15) { scale *= 10 }
                return .double((value * scale).rounded(.toNearestOrEven) / scale)
            case let value: throw EvaluationError(message: "round() cannot take '\(value.typeName)'")
            }
        }
        return table
    }()

    private static func one(_ arguments: TemplateArguments, _ name: String, allowExtra: Bool = false)
        throws(EvaluationError) -> TemplateValue
    {
        guard let first = arguments.positional.first, allowExtra || arguments.positional.count == 1 else {
            throw EvaluationError(message: "\(name)() takes exactly one argument")
        }
        return first
    }

    private static func extreme(_ arguments: TemplateArguments, _ name: String, _ order: Expression.Comparison)
        throws(EvaluationError) -> TemplateValue
    {
        let items = arguments.positional.count == 1 ? try iterate(arguments.positional[0]) : arguments.positional
        guard var best = items.first else { throw EvaluationError(message: "\(name)() arg is an empty sequence") }
        for item in items.dropFirst() where try Arithmetic.compare(order, item, best) { best = item }
        return best
    }

    /// What `{% for %}` walks: list items, dictionary keys, a string's characters.
    static func iterate(_ value: TemplateValue) throws(EvaluationError) -> [TemplateValue] {
        switch value {
        case .list(let items): return items
        case .dictionary(let dictionary): return dictionary.keys.map(TemplateValue.string)
        case .string(let text): return text.map { .string(String($0)) }
        default: throw EvaluationError(message: "'\(value.typeName)' object is not iterable")
        }
    }

    /// `value.name`: a dictionary's key first (so a Swift struct's `items` field is not hidden
    /// by the `items()` method), then a method, then an object's attribute.
    static func attribute(_ name: String, of value: TemplateValue) throws(EvaluationError) -> TemplateValue {
        if case .dictionary(let dictionary) = value, let found = dictionary[name] { return found }
        if let method = method(name, of: value) { return .function(method) }
        switch value {
        case .dictionary:
            break
        case .object(let object):
            if let found = object.templateAttribute(name) { return found }
        default:
            break
        }
        throw EvaluationError(message: "'\(value.typeName)' object has no attribute '\(name)'")
    }

    /// `value["key"]` with a literal key: a dictionary lookup, else the general subscript.
    static func member(_ value: TemplateValue, _ key: String) throws(EvaluationError) -> TemplateValue {
        if case .dictionary(let dictionary) = value {
            guard let found = dictionary[key] else {
                throw EvaluationError(message: "KeyError: \(TemplateValue.pythonQuote(key))")
            }
            return found
        }
        return try self.subscript(value, .string(key))
    }

    static func `subscript`(_ value: TemplateValue, _ key: TemplateValue) throws(EvaluationError) -> TemplateValue {
        switch value {
        case .list(let items):
            guard case .int(let index) = key else { break }
            let position = index < 0 ? items.count + index : index
            guard items.indices.contains(position) else { throw EvaluationError(message: "list index out of range") }
            return items[position]
        case .string(let text):
            guard case .int(let index) = key else { break }
            let characters = Array(text)
            let position = index < 0 ? characters.count + index : index
            guard characters.indices.contains(position) else {
                throw EvaluationError(message: "string index out of range")
            }
            return .string(String(characters[position]))
        case .dictionary(let dictionary):
            guard case .string(let name) = key else { break }
            guard let found = dictionary[name] else {
                throw EvaluationError(message: "KeyError: \(TemplateValue.pythonQuote(name))")
            }
            return found
        case .object(let object):
            guard case .string(let name) = key else { break }
            guard let found = object.templateAttribute(name) else {
                throw EvaluationError(message: "KeyError: \(TemplateValue.pythonQuote(name))")
            }
            return found
        default:
            break
        }
        throw EvaluationError(message: "'\(value.typeName)' object is not subscriptable by '\(key.typeName)'")
    }

    static func slice(_ value: TemplateValue, _ lower: TemplateValue?, _ upper: TemplateValue?) throws(EvaluationError)
        -> TemplateValue
    {
        func bound(_ bound: TemplateValue?, _ count: Int, _ fallback: Int) throws(EvaluationError) -> Int {
            guard let bound, !(bound.isNone) else { return fallback }
            guard case .int(let index) = bound else { throw EvaluationError(message: "slice indices must be integers") }
            return min(max(index < 0 ? count + index : index, 0), count)
        }
        switch value {
        case .list(let items):
            let start = try bound(lower, items.count, 0)
            let end = try bound(upper, items.count, items.count)
            return .list(start < end ? Array(items[start..<end]) : [])
        case .string(let text):
            let characters = Array(text)
            let start = try bound(lower, characters.count, 0)
            let end = try bound(upper, characters.count, characters.count)
            return .string(start < end ? String(characters[start..<end]) : "")
        default:
            throw EvaluationError(message: "'\(value.typeName)' object is not sliceable")
        }
    }

    private static let stringMethods: Set<String> = [
        "upper", "lower", "strip", "lstrip", "rstrip", "capitalize", "title", "startswith", "endswith", "replace",
        "split", "join", "count",
    ]
    private static let dictionaryMethods: Set<String> = ["items", "keys", "values", "get"]
    private static let listMethods: Set<String> = ["count", "index"]

    /// `value.name` as a function, when the value's type has that method.
    private static func method(_ name: String, of value: TemplateValue) -> TemplateFunction? {
        let known: Set<String>
        switch value {
        case .string: known = stringMethods
        case .dictionary: known = dictionaryMethods
        case .list: known = listMethods
        default: return nil
        }
        guard known.contains(name) else { return nil }
        return TemplateFunction(name) { arguments in try callMethod(name, on: value, arguments) ?? TemplateValue.none }
    }

    /// Calls method `name` of `value` directly (`", ".join(tags)` makes no function object);
    /// `nil` when the value's type has no such method.
    static func callMethod(_ name: String, on value: TemplateValue, _ arguments: TemplateArguments)
        throws(EvaluationError) -> TemplateValue?
    {
        switch value {
        case .string(let text): return try stringMethod(name, text, arguments)
        case .dictionary(let dictionary):
            switch name {
            case "items": return .list(dictionary.items.map { .list([.string($0.key), $0.value]) })
            case "keys": return .list(dictionary.keys.map(TemplateValue.string))
            case "values": return .list(dictionary.items.map(\.value))
            case "get":
                guard case .string(let key) = arguments.positional.first ?? TemplateValue.none else {
                    return arguments.value(1, "default") ?? TemplateValue.none
                }
                return dictionary[key] ?? arguments.value(1, "default") ?? TemplateValue.none
            default: return nil
            }
        case .list(let items):
            let wanted = arguments.positional.first ?? TemplateValue.none
            switch name {
            case "count": return .int(items.filter { Arithmetic.equal($0, wanted) }.count)
            case "index":
                guard let found = items.firstIndex(where: { Arithmetic.equal($0, wanted) }) else {
                    throw EvaluationError(message: "value is not in list")
                }
                return .int(found)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Python's `separator.join(parts)`: the parts must be strings.
    static func join(_ parts: [TemplateValue], separator: String) throws(EvaluationError) -> String {
        var length = separator.utf8.count * max(parts.count - 1, 0)
        for part in parts {
            guard case .string(let value) = part else {
                throw EvaluationError(message: "join() expects strings, found '\(part.typeName)'")
            }
            length += value.utf8.count
        }
        var out = ""
        out.reserveCapacity(length)
        for (index, part) in parts.enumerated() {
            if index > 0 { out += separator }
            if case .string(let value) = part { out += value }
        }
        return out
    }

    private static func stringMethod(_ name: String, _ text: String, _ arguments: TemplateArguments)
        throws(EvaluationError) -> TemplateValue?
    {
        func argument(_ index: Int) throws(EvaluationError) -> String {
            guard case .string(let value) = arguments.value(index, "") ?? TemplateValue.none else {
                throw EvaluationError(message: "\(name)() needs a string argument")
            }
            return value
        }
        switch name {
        case "join":  // first: the method templates call most
            return .string(try join(iterate(arguments.positional.first ?? .list([])), separator: text))
        case "upper": return .string(text.uppercased())
        case "lower": return .string(text.lowercased())
        case "strip": return .string(text.trimmingWhitespace())
        case "lstrip": return .string(String(text.drop { $0.isWhitespace }))
        case "rstrip": return .string(String(text.reversed().drop { $0.isWhitespace }.reversed()))
        case "capitalize": return .string(pythonCase(text, capitalize: true))
        case "title": return .string(pythonCase(text, capitalize: false))
        case "count": return .int(count(try argument(0), in: text))
        case "startswith": return .bool(text.hasPrefix(try argument(0)))
        case "endswith": return .bool(text.hasSuffix(try argument(0)))
        case "replace":
            let old = try argument(0)
            let new = try argument(1)
            guard !old.isEmpty else {  // Python puts the new text around every character
                return .string(new + text.map { String($0) + new }.joined())
            }
            return .string(text.split(separator: old, omittingEmptySubsequences: false).joined(separator: new))
        case "split":
            if arguments.positional.isEmpty {
                return .list(text.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
            }
            let separator = try argument(0)
            guard !separator.isEmpty else { throw EvaluationError(message: "empty separator") }
            return .list(text.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })
        default: return nil
        }
    }
}

extension TemplateValue {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return start < end ? String(self[start..<end]) : ""
    }
}
