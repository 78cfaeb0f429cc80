/// A compiled URL pattern in Tornado's syntax: a regular expression that must match the whole
/// path, whose groups become the handler's path arguments.
///
/// Patterns without regex syntax (`/`, `/about`, `/robots\.txt`) are matched by plain string
/// comparison; the standard library's `Regex` costs about 0.8 µs a match on this toolchain,
/// so it only runs for patterns that need it, and only once the literal prefix matched.
/// A class: the router walks the patterns on every request, and a reference is one retain
/// where a struct would retain each of its fields.
final class RoutePattern: Sendable {
    /// How a path is matched.
    enum Matcher: Sendable {
        /// The path must equal this string.
        case literal(String)
        /// `prefix(middle)suffix`, one group holding a literal or `.*` (`nil`), as Tornado's
        /// static routes (`/static/(.*)`, `/(favicon\.ico)`): string comparison, no regex.
        case capture(prefix: String, middle: String?, suffix: String)
        /// The path must start with `prefix` and match the regex as a whole.
        case regex(prefix: String, RegexBox)
    }

    /// The pattern as written.
    let source: String
    let matcher: Matcher
    /// Tornado's `_find_groups`: a format with one `%s` per group, for `reverseURL`; `nil`
    /// when the pattern is too complex to reverse.
    let reverseTemplate: [ReversePiece]?
    /// The number of capture groups.
    let groupCount: Int
    /// The names of named groups, in order.
    let groupNames: [String]

    /// A literal piece or a group's slot in a reversed URL.
    enum ReversePiece: Sendable, Equatable {
        case literal(String)
        case group
    }

    /// What was wrong with a pattern.
    struct InvalidPattern: Error, CustomStringConvertible {
        var pattern: String
        var reason: String
        var description: String { "invalid URL pattern \(pattern): \(reason)" }
    }

    init(_ pattern: String) throws(InvalidPattern) {
        source = pattern
        var body = Substring(pattern)
        if body.hasPrefix("^") { body = body.dropFirst() }
        if body.hasSuffix("$") && !body.hasSuffix("\\$") { body = body.dropLast() }

        if let literal = Self.unescapeLiteral(body) {
            matcher = .literal(literal)
            reverseTemplate = [.literal(literal)]
            groupCount = 0
            groupNames = []
            return
        }
        if let (prefix, middle, suffix) = Self.singleGroup(body) {
            matcher = .capture(prefix: prefix, middle: middle, suffix: suffix)
            reverseTemplate =
                (prefix.isEmpty ? [] : [.literal(prefix)]) + [.group] + (suffix.isEmpty ? [] : [.literal(suffix)])
            groupCount = 1
            groupNames = []
            return
        }
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(String(body))
        } catch {
            throw InvalidPattern(pattern: pattern, reason: "\(error)")
        }
        let names = Self.groupNames(in: body)
        let count = Self.countGroups(in: body)
        matcher = .regex(prefix: Self.literalPrefix(of: body), RegexBox(regex: regex))
        groupCount = count
        groupNames = names
        reverseTemplate = Self.reverseTemplate(of: body, groupCount: count)
    }

    /// Lowers the regex to its matching program now. `Regex` does that lazily on the first
    /// match; a long-running server calls this at start so its first request does not pay,
    /// and a CGI process skips it so it compiles only the patterns its one request tries.
    func compile() {
        if case .regex(_, let box) = matcher { _ = try? box.regex.wholeMatch(in: "") }
    }

    /// Matches `path`; on success returns the raw (still percent-encoded) group values, `nil`
    /// for groups that did not take part, and the named groups by name.
    func match(_ path: String) -> (positional: [Substring?], named: [String: Substring?])? {
        switch matcher {
        case .literal(let literal):
            return path == literal ? ([], [:]) : nil
        case .capture(let prefix, let middle, let suffix):
            let bytes = path.utf8
            guard bytes.count >= prefix.utf8.count + suffix.utf8.count, bytes.starts(with: prefix.utf8),
                bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
            else { return nil }
            let start = bytes.index(bytes.startIndex, offsetBy: prefix.utf8.count)
            let end = bytes.index(bytes.endIndex, offsetBy: -suffix.utf8.count)
            let captured = Substring(bytes[start..<end])
            if let middle {
                guard captured.utf8.elementsEqual(middle.utf8) else { return nil }
            } else if captured.utf8.contains(UInt8(ascii: "\n")) {
                return nil  // Python's `.` does not match a newline
            }
            return ([captured], [:])
        case .regex(let prefix, let box):
            guard path.hasPrefix(prefix), let match = try? box.regex.wholeMatch(in: path) else {
                return nil
            }
            var positional: [Substring?] = []
            positional.reserveCapacity(match.output.count - 1)
            for index in 1..<match.output.count {
                positional.append(match.output[index].substring)
            }
            var named: [String: Substring?] = [:]
            for name in groupNames {
                named[name] = match.output[name]?.substring
            }
            return (positional, named)
        }
    }

    /// `text` with every regex metacharacter escaped. Python: `re.escape`.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\[](){}.*+?|^$".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The pattern with regex escapes removed, when it has no regex syntax at all.
    static func unescapeLiteral(_ body: Substring) -> String? {
        unescape(body, refusingSyntax: true)
    }

    /// Splits `prefix(middle)suffix` when the pattern has exactly one group, the group holds a
    /// literal or `.*` (`nil`), and the rest is literal; `nil` for anything else.
    static func singleGroup(_ body: Substring) -> (String, String?, String)? {
        var open: Substring.Index?
        var close: Substring.Index?
        var index = body.startIndex
        while index < body.endIndex {
            switch body[index] {
            case "\\":
                index = body.index(after: index)
                guard index < body.endIndex else { return nil }
            case "(":
                guard open == nil else { return nil }
                open = index
            case ")":
                guard open != nil, close == nil else { return nil }
                close = index
            default:
                break
            }
            index = body.index(after: index)
        }
        guard let open, let close, let prefix = unescapeLiteral(body[..<open]),
            let suffix = unescapeLiteral(body[body.index(after: close)...])
        else { return nil }
        let inner = body[body.index(after: open)..<close]
        if inner == ".*" { return (prefix, nil, suffix) }
        guard let middle = unescapeLiteral(inner) else { return nil }
        return (prefix, middle, suffix)
    }

    /// The literal text every match starts with (up to the first regex syntax); empty when the
    /// pattern has an alternation, whose branches need not share a prefix (`/login|/signin`).
    static func literalPrefix(of body: Substring) -> String {
        if body.contains("|") { return "" }
        var out = ""
        var iterator = body.makeIterator()
        while let character = iterator.next() {
            if character == "\\" {
                guard let next = iterator.next(), !next.isLetter && !next.isNumber else { break }
                out.append(next)
            } else if "[](){}.*+?|^$".contains(character) {
                // A quantifier makes the character before it optional: drop it.
                if "*?{".contains(character), !out.isEmpty { out.removeLast() }
                break
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Counts capturing groups: `(` not escaped, not inside a class, and not `(?:`, `(?=` etc.
    static func countGroups(in body: Substring) -> Int {
        var count = 0
        forEachGroupOpening(in: body) { isCapturing, _ in if isCapturing { count += 1 } }
        return count
    }

    static func groupNames(in body: Substring) -> [String] {
        var names: [String] = []
        forEachGroupOpening(in: body) { _, name in if let name { names.append(name) } }
        return names
    }

    private static func forEachGroupOpening(in body: Substring, _ visit: (Bool, String?) -> Void) {
        let characters = Array(body)
        var index = 0
        var inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
            } else if character == "(" {
                if index + 1 < characters.count, characters[index + 1] == "?" {
                    let rest = String(characters[(index + 2)...].prefix(40))
                    if rest.hasPrefix("P<") || (rest.hasPrefix("<") && !rest.hasPrefix("<=") && !rest.hasPrefix("<!")) {
                        let start =
                            rest.hasPrefix("P<")
                            ? rest.index(rest.startIndex, offsetBy: 2) : rest.index(after: rest.startIndex)
                        let name = rest[start...].prefix { $0 != ">" }
                        visit(true, String(name))
                    } else {
                        visit(false, nil)
                    }
                } else {
                    visit(true, nil)
                }
            }
            index += 1
        }
    }

    /// Tornado's `URLSpec._find_groups`: split on `(`, keep the literal text after each `)`.
    /// Gives up (returns `nil`) when groups nest or hold non-capturing parentheses.
    static func reverseTemplate(of body: Substring, groupCount: Int) -> [ReversePiece]? {
        guard groupCount == body.filter({ $0 == "(" }).count else { return nil }
        var pieces: [ReversePiece] = []
        for (offset, fragment) in body.split(separator: "(", omittingEmptySubsequences: false).enumerated() {
            if offset == 0 {
                guard let literal = reUnescape(fragment) else { return nil }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                continue
            }
            guard let close = fragment.firstIndex(of: ")") else { return nil }
            pieces.append(.group)
            guard let literal = reUnescape(fragment[fragment.index(after: close)...]) else { return nil }
            if !literal.isEmpty { pieces.append(.literal(literal)) }
        }
        return pieces
    }

    /// Tornado's `re_unescape`: `\x` becomes `x`; other characters stay as written (so
    /// `/feed.xml` reverses to itself); `nil` for escapes such as `\d` that stand for a class.
    static func reUnescape(_ text: Substring) -> String? {
        unescape(text, refusingSyntax: false)
    }

    /// Removes backslash escapes; `nil` for a class escape (`\d`), a dangling backslash, or,
    /// when `refusingSyntax`, any unescaped regex metacharacter.
    private static func unescape(_ text: Substring, refusingSyntax: Bool) -> String? {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                guard !character.isLetter && !character.isNumber else { return nil }
                out.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if refusingSyntax && "[](){}.*+?|^$".contains(character) {
                return nil
            } else {
                out.append(character)
            }
        }
        return escaped ? nil : out
    }
}

/// Holds a compiled `Regex`, which the standard library does not mark `Sendable`.
///
/// A `Regex` is an immutable value whose lazily lowered program is published atomically, so
/// sharing it between threads is safe whether or not `RoutePattern.compile()` ran.
struct RegexBox: @unchecked Sendable {
    // @unchecked: see above; the box itself holds only that `let`.
    let regex: Regex<AnyRegexOutput>
}
