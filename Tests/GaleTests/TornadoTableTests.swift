import Foundation
import Testing

// Keeps Docs/Tornado.md true: every Gale name in its Gale column must be declared under
// Sources/, so the table cannot promise an API that does not exist (or that was renamed).
//
// The rules, deliberately simple (a declaration is found by its keyword, not by compiling):
//
// - A row is a line of a Markdown table with three cells: Tornado | Gale | Note. The Gale cell
//   is either "not provided, because <reason>" (nothing in it is checked) or only backticked
//   names separated by commas; every other Gale cell fails, naming the row.
// - `--flag` (or `-x`): an ArgumentParser option of Sources/GaleCommand: `@Option`/`@Flag`
//   with `name: .customLong("flag")` (`.customShort("x")`), or without a custom name, the
//   property's name in kebab-case, as ArgumentParser makes it (`logFilePrefix`:
//   `--log-file-prefix`).
// - `Type` (starts upper-case): `class|struct|enum|protocol|actor|typealias Type` somewhere.
// - `function` (starts lower-case): a top-level `func function` (not indented).
// - `Type.member` (and `Type.Nested.member`): `Type` is declared or extended somewhere; each
//   following part is declared (`func`, `var`, `let`, `case`, a nested type, `associatedtype`,
//   or `init(` for `init`) in a file that declares `Type` (the previous part) or extends it
//   (`extension Type`, `extension Outer.Type`). When `Type` is a protocol, any file counts
//   (default implementations live in extensions anywhere). Settings keys are this form:
//   `Settings.staticPath` must be a property declared in `Settings`' files.
// - Anything else cannot be classified and fails, naming the row.
// - Tornado names (the backticked spans of the Tornado cell, or the cell's text when it has
//   none) are unique in the whole file.
// - In the "Template namespace" section, a provided row's Tornado name (its last dotted part)
//   must appear as a string literal (`"squeeze"`) in Sources/: the name templates see.
@Suite struct TornadoTableTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let table: [TornadoTableRow] = {
        let text = (try? String(contentsOf: root.appendingPathComponent("Docs/Tornado.md"), encoding: .utf8)) ?? ""
        return TornadoTableRow.parse(text)
    }()

    static let index = GaleSourceIndex(root: root.appendingPathComponent("Sources"))

    @Test func everyRowHasThreeCellsAndAGaleAnswer() {
        #expect(
            Self.table.count > 300, "Docs/Tornado.md should hold Tornado's whole API; the parser found too few rows")
        for row in Self.table {
            #expect(row.problems.isEmpty, "Docs/Tornado.md line \(row.line): \(row.problems.joined(separator: "; "))")
        }
    }

    @Test func everyGaleNameIsDeclaredInTheSources() {
        var checked = 0
        for row in Self.table {
            for name in row.galeNames {
                checked += 1
                let verdict = Self.index.check(name)
                #expect(verdict == .found, "Docs/Tornado.md line \(row.line) (\(row.tornado)): `\(name)` \(verdict)")
            }
        }
        #expect(checked > 300)
    }

    @Test func tornadoNamesAreUnique() {
        var seen: [String: Int] = [:]
        for row in Self.table {
            for name in row.tornadoNames {
                if let first = seen[name] {
                    Issue.record("Docs/Tornado.md line \(row.line): `\(name)` is already listed on line \(first)")
                } else {
                    seen[name] = row.line
                }
            }
        }
    }

    @Test func providedTemplateNamesAreInTheNamespace() {
        let rows = Self.table.filter { $0.section.contains("Template namespace") && !$0.galeNames.isEmpty }
        #expect(rows.count > 10)
        for row in rows {
            for name in row.tornadoNames where !row.tornadoCellHasNoCode {
                let last = String(name.split(separator: ".").last ?? "")
                #expect(
                    Self.index.sourceText.contains("\"\(last)\""),
                    "Docs/Tornado.md line \(row.line): templates do not see `\(last)` (no \"\(last)\" in Sources/)")
            }
        }
    }

    @Test func theCheckerCanFail() {
        let index = Self.index
        #expect(index.check("RequestHandler.getArgument") == .found)
        #expect(index.check("HTTPServer.Configuration.xheaders") == .found)
        #expect(index.check("ServerRequest.protocol") == .found)
        #expect(index.check("Settings.staticPath") == .found)
        #expect(index.check("--log-file-prefix") == .found)
        #expect(index.check("--config") == .found)
        #expect(index.check("websocketConnect") == .found)
        #expect(index.check("RequestHandler.noSuchMethod") == .missing)
        #expect(index.check("NoSuchType.get") == .missing)
        #expect(index.check("NoSuchType") == .missing)
        #expect(index.check("Settings.noSuchKey") == .missing)
        #expect(index.check("HTTPServer.Configuration.noSuchField") == .missing)
        #expect(index.check("--no-such-flag") == .missing)
        #expect(index.check("noSuchFunction") == .missing)
        #expect(index.check("get argument()") == .unclassified)
        #expect(index.check("RequestHandler.get_argument()") == .unclassified)

        let rows = TornadoTableRow.parse(
            """
            ## Section
            | Tornado | Gale | Note |
            |---|---|---|
            | `a` | maybe later | |
            | `b` | not provided | |
            | `c` | `X.y` and more | |
            | `d` | `X.y` |
            """)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { !$0.problems.isEmpty })
    }
}

/// One row of a table in Docs/Tornado.md.
struct TornadoTableRow {
    var line: Int
    var section: String
    var tornado: String
    var tornadoNames: [String]
    var tornadoCellHasNoCode: Bool
    var galeNames: [String]
    var problems: [String]

    static func parse(_ text: String) -> [TornadoTableRow] {
        var rows: [TornadoTableRow] = []
        var section = ""
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { section = line }
            guard line.hasPrefix("|") else { continue }
            let cells = splitCells(line)
            if cells.first == "Tornado" || cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }
            rows.append(TornadoTableRow(line: offset + 1, section: section, cells: cells))
        }
        return rows
    }

    init(line: Int, section: String, cells: [String]) {
        self.line = line
        self.section = section
        problems = []
        tornado = cells.first ?? ""
        let tornadoCode = Self.codeSpans(tornado)
        tornadoCellHasNoCode = tornadoCode.isEmpty
        tornadoNames = tornadoCode.isEmpty ? [tornado] : tornadoCode
        galeNames = []
        if cells.count != 3 { problems.append("a row needs three cells (Tornado | Gale | Note), not \(cells.count)") }
        if tornado.isEmpty { problems.append("the Tornado cell is empty") }
        guard cells.count > 1 else { return }
        let gale = cells[1]
        if gale.lowercased().hasPrefix("not provided") {
            if !gale.hasPrefix("not provided, because ") || gale.count < "not provided, because ".count + 10 {
                problems.append("\"not provided\" needs its reason: \"not provided, because ...\"")
            }
            return
        }
        galeNames = Self.codeSpans(gale)
        var rest = gale
        for name in galeNames { rest = rest.replacingOccurrences(of: "`\(name)`", with: "") }
        if galeNames.isEmpty || !rest.allSatisfy({ $0 == "," || $0 == " " }) {
            problems.append(
                "the Gale cell must be backticked names separated by commas, or \"not provided, because ...\"")
        }
    }

    /// The cells of a table line, split on `|` not escaped as `\|`.
    static func splitCells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var previous: Character = " "
        for character in line.dropFirst() {
            if character == "|" && previous != "\\" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty {
            cells.append(current.trimmingCharacters(in: .whitespaces))
        }
        return cells
    }

    /// The text of each `code span`.
    static func codeSpans(_ text: String) -> [String] {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
    }
}

/// What Sources/ declares, found by keyword (see the rules at the top of this file).
struct GaleSourceIndex {
    enum Verdict: Equatable, CustomStringConvertible {
        case found, missing, unclassified
        var description: String {
            switch self {
            case .found: "is declared"
            case .missing: "is not declared under Sources/"
            case .unclassified: "is neither `Type.member`, `Type`, `function` nor `--flag`"
            }
        }
    }

    struct File {
        var declaredTypes: Set<String> = []
        var extendedTypes: Set<String> = []
        var members: Set<String> = []
        var topLevelFunctions: Set<String> = []
    }

    var files: [File] = []
    var protocols: Set<String> = []
    var flags: Set<String> = []
    var sourceText = ""

    init(root: URL) {
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        for path in paths.sorted() where path.hasSuffix(".swift") {
            guard let text = try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) else {
                continue
            }
            sourceText += text
            let tokens = SwiftTokens(text).tokens
            files.append(Self.declarations(tokens, protocols: &protocols))
            if path.hasPrefix("GaleCommand/") { flags.formUnion(Self.argumentParserNames(tokens)) }
        }
    }

    func check(_ name: String) -> Verdict {
        let identifier = #/[A-Za-z_][A-Za-z0-9_]*/#
        if name.hasPrefix("-") {
            return name.wholeMatch(of: #/--?[a-z0-9][a-z0-9-]*|-[A-Za-z]/#) == nil
                ? .unclassified : flags.contains(name) ? .found : .missing
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ $0.wholeMatch(of: identifier) != nil }) else { return .unclassified }
        if parts.count == 1 {
            let first = parts[0].first!
            if first.isUppercase { return files.contains { $0.declaredTypes.contains(name) } ? .found : .missing }
            return files.contains { $0.topLevelFunctions.contains(name) } ? .found : .missing
        }
        guard files.contains(where: { $0.declaredTypes.contains(parts[0]) || $0.extends(parts[0]) }) else {
            return .missing
        }
        for (owner, member) in zip(parts, parts.dropFirst()) {
            let found = files.contains { file in
                (protocols.contains(owner) || file.declaredTypes.contains(owner) || file.extends(owner))
                    && file.members.contains(member)
            }
            if !found { return .missing }
        }
        return .found
    }

    static let typeKeywords: Set<String> = ["class", "struct", "enum", "protocol", "actor", "typealias"]
    static let memberKeywords: Set<String> = typeKeywords.union(["func", "var", "let", "associatedtype"])
    /// What may follow `class` (`class var`) or `case` (`case let`) without being a name. After
    /// `func`, `var` and `let` any word is the name (`` var `protocol` ``, `func open()`).
    static let keywords: Set<String> = memberKeywords.union(["case", "init", "static", "final", "override", "open"])

    static func declarations(_ tokens: [SwiftTokens.Token], protocols: inout Set<String>) -> File {
        var file = File()
        for (index, token) in tokens.enumerated() {
            guard case .identifier(let word) = token.kind else { continue }
            let next = index + 1 < tokens.count ? tokens[index + 1].kind : .punctuation(" ")
            let previous = index > 0 ? tokens[index - 1].kind : .punctuation(" ")
            if memberKeywords.contains(word), case .identifier(let name) = next,
                !(typeKeywords.contains(word) && keywords.contains(name))
            {
                file.members.insert(name)
                if typeKeywords.contains(word) { file.declaredTypes.insert(name) }
                if word == "protocol" { protocols.insert(name) }
                if word == "func" && token.column == 0 { file.topLevelFunctions.insert(name) }
                if word == "func", index > 0, case .identifier(let modifier) = previous, tokens[index - 1].column == 0,
                    ["public", "package", "internal"].contains(modifier)
                {
                    file.topLevelFunctions.insert(name)
                }
            } else if word == "case" {
                var cursor = index + 1
                while cursor < tokens.count, case .identifier(let name) = tokens[cursor].kind, !keywords.contains(name)
                {
                    file.members.insert(name)
                    guard cursor + 1 < tokens.count, tokens[cursor + 1].kind == .punctuation(",") else { break }
                    cursor += 2
                }
            } else if word == "extension" {
                var cursor = index + 1
                var parts: [String] = []
                while cursor < tokens.count, case .identifier(let name) = tokens[cursor].kind {
                    parts.append(name)
                    guard cursor + 1 < tokens.count, tokens[cursor + 1].kind == .punctuation(".") else { break }
                    cursor += 2
                }
                if let last = parts.last { file.extendedTypes.insert(last) }
            } else if word == "init", previous != .punctuation("."),
                [.punctuation("("), .punctuation("?"), .punctuation("!"), .punctuation("<")].contains(next)
            {
                file.members.insert("init")
            }
        }
        return file
    }

    /// The option names of `@Option` and `@Flag` properties, as ArgumentParser spells them.
    static func argumentParserNames(_ tokens: [SwiftTokens.Token]) -> Set<String> {
        var names: Set<String> = []
        var index = 0
        while index + 1 < tokens.count {
            defer { index += 1 }
            guard tokens[index].kind == .punctuation("@"),
                tokens[index + 1].kind == .identifier("Option") || tokens[index + 1].kind == .identifier("Flag")
            else { continue }
            var custom: Set<String> = []
            var usesLong = false
            var cursor = index + 2
            while cursor < tokens.count, tokens[cursor].kind != .identifier("var") {
                if case .identifier(let word) = tokens[cursor].kind, word == "customLong" || word == "customShort",
                    cursor + 2 < tokens.count, case .string(let value) = tokens[cursor + 2].kind
                {
                    custom.insert((word == "customLong" ? "--" : "-") + value)
                }
                if tokens[cursor].kind == .identifier("long") { usesLong = true }
                cursor += 1
            }
            names.formUnion(custom)
            if cursor + 1 < tokens.count, case .identifier(let property) = tokens[cursor + 1].kind,
                custom.isEmpty || usesLong
            {
                names.insert("--" + kebabCase(property))
            }
            index = cursor
        }
        return names
    }

    /// `logFilePrefix` as `log-file-prefix`, `maxURLLength` as `max-url-length`.
    static func kebabCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (offset, character) in characters.enumerated() {
            if character.isUppercase && offset > 0 {
                let afterLower = characters[offset - 1].isLowercase || characters[offset - 1].isNumber
                let beforeLower = offset + 1 < characters.count && characters[offset + 1].isLowercase
                if afterLower || (characters[offset - 1].isUppercase && beforeLower) { result.append("-") }
            }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}

extension GaleSourceIndex.File {
    /// Whether this file has `extension Type` (or `extension Outer.Type`).
    func extends(_ type: String) -> Bool { extendedTypes.contains(type) }
}

/// Swift source as identifiers, string literals and punctuation, with comments left out: enough
/// to find declarations by their keyword.
struct SwiftTokens {
    enum Kind: Equatable {
        case identifier(String)
        case string(String)
        case punctuation(Character)
    }

    struct Token {
        var kind: Kind
        /// The token's column in its line, 0 for the line's first character.
        var column: Int
    }

    var tokens: [Token] = []

    init(_ text: String) {
        let characters = Array(text)
        var index = 0
        var lineStart = 0
        func at(_ offset: Int) -> Character? { offset < characters.count ? characters[offset] : nil }
        while index < characters.count {
            let character = characters[index]
            if character == "\n" {
                index += 1
                lineStart = index
            } else if character == "/" && at(index + 1) == "/" {
                while index < characters.count && characters[index] != "\n" { index += 1 }
            } else if character == "/" && at(index + 1) == "*" {
                index += 2
                while index < characters.count && !(characters[index] == "*" && at(index + 1) == "/") {
                    if characters[index] == "\n" { lineStart = index + 1 }
                    index += 1
                }
                index += 2
            } else if character == "\"" || (character == "#" && (at(index + 1) == "\"" || at(index + 1) == "#")) {
                let start = index
                var hashes = 0
                while at(index) == "#" {
                    hashes += 1
                    index += 1
                }
                guard at(index) == "\"" else { continue }
                let quotes = at(index + 1) == "\"" && at(index + 2) == "\"" ? 3 : 1
                index += quotes
                let close = String(repeating: "\"", count: quotes) + String(repeating: "#", count: hashes)
                let closeCharacters = Array(close)
                var value = ""
                while index < characters.count {
                    if characters[index] == "\"",
                        characters[index..<min(characters.count, index + closeCharacters.count)].elementsEqual(
                            closeCharacters)
                    {
                        index += closeCharacters.count
                        break
                    }
                    if quotes == 1 && characters[index] == "\n" { break }  // unterminated: stop at the line
                    if hashes == 0 && characters[index] == "\\" && at(index + 1) == "(" {
                        // An interpolation: skip to its closing parenthesis (its strings included).
                        var depth = 0
                        index += 1  // the backslash; the loop starts at the parenthesis
                        repeat {
                            if characters[index] == "(" { depth += 1 }
                            if characters[index] == ")" { depth -= 1 }
                            index += 1
                        } while index < characters.count && depth > 0 && characters[index] != "\n"
                        continue
                    }
                    if hashes == 0 && characters[index] == "\\" { index += 1 }
                    if index < characters.count {
                        if characters[index] == "\n" { lineStart = index + 1 }
                        value.append(characters[index])
                    }
                    index += 1
                }
                tokens.append(Token(kind: .string(value), column: start - lineStart))
            } else if character.isLetter || character == "_" {
                let start = index
                while index < characters.count
                    && (characters[index].isLetter || characters[index].isNumber
                        || characters[index] == "_")
                {
                    index += 1
                }
                tokens.append(Token(kind: .identifier(String(characters[start..<index])), column: start - lineStart))
            } else if character.isNumber || character.isWhitespace || character == "`" {
                index += 1
            } else {
                tokens.append(Token(kind: .punctuation(character), column: index - lineStart))
                index += 1
            }
        }
    }
}
