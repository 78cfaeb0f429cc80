/// A redirect target with `str.format` fields for a route's captures: `/{1}/{0}`, `/items/{id}`,
/// `/{}-{}`, with `{{` and `}}` for braces. Tornado: `RedirectHandler`'s `url`, formatted with
/// `self._url.format(*args, **kwargs)`.
struct RedirectTemplate: Sendable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        case index(Int)
        case name(String)
    }

    let pieces: [Piece]

    /// The literal text before the first field, which alone decides the target's scheme and
    /// host (Tornado 6.6).
    var prefix: String {
        var text = ""
        for piece in pieces {
            guard case .literal(let literal) = piece else { break }
            text += literal
        }
        return text
    }

    /// Whether any field is filled from the request.
    var hasSubstitution: Bool {
        pieces.contains { if case .literal = $0 { false } else { true } }
    }

    /// Parses `template`; throws for what Python's `str.format` refuses (a lone `{` or `}`,
    /// mixed automatic and numbered fields) and for what Gale does not offer (conversions
    /// `!r`, format specs `:>5`, attribute and index access).
    init(_ template: String) throws(ProgrammerError) {
        var pieces: [Piece] = []
        var literal = ""
        var automatic = 0
        var numbering: Bool?  // true: automatic `{}`; false: explicit `{0}`
        var characters = template[...]
        while let character = characters.popFirst() {
            if character == "}" {
                guard characters.popFirst() == "}" else {
                    throw ProgrammerError("RedirectHandler url \(template.debugDescription): single '}' (write '}}')")
                }
                literal.append("}")
                continue
            }
            guard character == "{" else {
                literal.append(character)
                continue
            }
            if characters.first == "{" {
                characters.removeFirst()
                literal.append("{")
                continue
            }
            guard let close = characters.firstIndex(of: "}") else {
                throw ProgrammerError("RedirectHandler url \(template.debugDescription): single '{' (write '{{')")
            }
            let field = String(characters[..<close])
            characters = characters[characters.index(after: close)...]
            if !literal.isEmpty { pieces.append(.literal(literal)) }
            literal = ""
            if field.contains(where: { "{!:.[]".contains($0) }) {
                throw ProgrammerError(
                    "RedirectHandler url \(template.debugDescription): field {\(field)} is not supported; "
                        + "use {}, {0} or {name}")
            }
            let isAutomatic = field.isEmpty
            if let numbering, numbering != isAutomatic, isAutomatic || field.allSatisfy(\.isASCIIDigit) {
                throw ProgrammerError(
                    "RedirectHandler url \(template.debugDescription): cannot mix {} with numbered fields")
            }
            if isAutomatic {
                numbering = true
                pieces.append(.index(automatic))
                automatic += 1
            } else if field.allSatisfy(\.isASCIIDigit), let index = Int(field) {
                numbering = false
                pieces.append(.index(index))
            } else {
                pieces.append(.name(field))
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    /// The template filled with `arguments` (numbered fields) and `keywords` (named fields);
    /// throws, as Python's `IndexError`/`KeyError`, when one is missing.
    func format(_ arguments: [String], _ keywords: [String: String]) throws(ProgrammerError) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let text):
                out += text
            case .index(let index):
                guard index < arguments.count else {
                    throw ProgrammerError(
                        "RedirectHandler url: no group {\(index)} in the route (it has \(arguments.count))")
                }
                out += arguments[index]
            case .name(let name):
                guard let value = keywords[name] else {
                    throw ProgrammerError("RedirectHandler url: no group named {\(name)} in the route")
                }
                out += value
            }
        }
        return out
    }

    /// `url` with `arguments` added to its query, as Tornado's `httputil.url_concat`: the
    /// URL's own query is decoded and encoded again with the new pairs after it (`+` for
    /// spaces, Python's `urlencode`); its fragment stays last. Like Python's `urlsplit`, it
    /// first drops leading control characters and spaces, and tabs and line breaks anywhere.
    static func concat(_ url: String, _ arguments: [(String, [UInt8])]) -> String {
        var cleaned = String.UnicodeScalarView()
        var leading = true
        for scalar in url.unicodeScalars {
            if leading && scalar.value <= 0x20 { continue }
            leading = false
            if scalar != "\t" && scalar != "\n" && scalar != "\r" { cleaned.append(scalar) }
        }
        var rest = Substring(String(cleaned))
        var fragment = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var pairs: [String] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = piece.firstIndex(of: "=")
            let name = lenientDecode(piece[..<(equals ?? piece.endIndex)])
            let value = equals.map { lenientDecode(piece[piece.index(after: $0)...]) } ?? []
            pairs.append(encode(name) + "=" + encode(value))
        }
        for (name, value) in arguments { pairs.append(encode(Array(name.utf8)) + "=" + encode(value)) }
        var out = String(rest)
        if !pairs.isEmpty { out += "?" + pairs.joined(separator: "&") }
        if !fragment.isEmpty { out += "#" + fragment }
        return out
    }

    /// Python's `unquote_plus` on bytes: `+` is a space, a `%` without two hex digits stays
    /// as it is. (Python then decodes UTF-8 with replacement and encodes again; a value that
    /// is not UTF-8 keeps its bytes here.)
    private static func lenientDecode(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count, let high = Hex.value(bytes[index + 1]),
                let low = Hex.value(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return out
    }

    /// Python's `quote_plus` on bytes: letters, digits and `_.-~` as they are, a space as
    /// `+`, every other byte (invalid UTF-8 too) as `%XX`.
    private static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
