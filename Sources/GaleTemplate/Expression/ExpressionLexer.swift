/// Splits a template expression into tokens: Python's lexical rules for the subset templates
/// use (names, numbers, strings with escapes, operators and punctuation).
struct ExpressionLexer {
    enum Token: Equatable {
        case name(String)
        case int(Int)
        case double(Double)
        case string(String)
        /// An operator or punctuation: `(`, `==`, `//`, `,` ...
        case symbol(String)
        case end
    }

    /// Why the text is not an expression.
    struct Failure: Error {
        var message: String
    }

    static func tokens(_ source: String) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(source.unicodeScalars)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" || character == "\n" || character == "\r" {
                index += 1
            } else if character == "_" || character.properties.isAlphabetic {
                var name = ""
                while index < characters.count,
                    characters[index] == "_" || characters[index].properties.isAlphabetic
                        || ("0"..."9").contains(characters[index])
                {
                    name.unicodeScalars.append(characters[index])
                    index += 1
                }
                tokens.append(.name(name))
            } else if ("0"..."9").contains(character)
                || (character == "." && index + 1 < characters.count && ("0"..."9").contains(characters[index + 1]))
            {
                tokens.append(try number(characters, &index))
            } else if character == "'" || character == "\"" {
                tokens.append(.string(try string(characters, &index)))
            } else {
                let two = index + 1 < characters.count ? String(character) + String(characters[index + 1]) : ""
                if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                    tokens.append(.symbol(two))
                    index += 2
                } else if "()[]{},:.+-*/%<>=".unicodeScalars.contains(character) {
                    tokens.append(.symbol(String(character)))
                    index += 1
                } else {
                    throw Failure(message: "unexpected character '\(character)'")
                }
            }
        }
        tokens.append(.end)
        return tokens
    }

    private static func number(_ characters: [Unicode.Scalar], _ index: inout Int) throws(Failure) -> Token {
        // 0x1f, 0o17, 0b101, as Python writes them.
        if characters[index] == "0", index + 1 < characters.count,
            let radix = ["x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2][Character(characters[index + 1])]
        {
            index += 2
            var digits = ""
            while index < characters.count, characters[index] == "_" || Character(characters[index]).isHexDigit {
                if characters[index] != "_" { digits.unicodeScalars.append(characters[index]) }
                index += 1
            }
            guard let value = Int(digits, radix: radix) else { throw Failure(message: "bad number 0\(digits)") }
            return .int(value)
        }
        var text = ""
        var isFloat = false
        while index < characters.count {
            let character = characters[index]
            if ("0"..."9").contains(character) || character == "_" {
                if character != "_" { text.unicodeScalars.append(character) }
            } else if character == "." && !isFloat {
                isFloat = true
                text += "."
            } else if (character == "e" || character == "E") && !text.contains("e") {
                isFloat = true
                text += "e"
                if index + 1 < characters.count, characters[index + 1] == "-" || characters[index + 1] == "+" {
                    index += 1
                    text.unicodeScalars.append(characters[index])
                }
            } else {
                break
            }
            index += 1
        }
        if isFloat, let value = Double(text) { return .double(value) }
        if !isFloat, let value = Int(text) { return .int(value) }
        throw Failure(message: "bad number \(text)")
    }

    private static func string(_ characters: [Unicode.Scalar], _ index: inout Int) throws(Failure) -> String {
        let quote = characters[index]
        index += 1
        var out = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == quote { return out }
            guard character == "\\" else {
                out.unicodeScalars.append(character)
                continue
            }
            guard index < characters.count else { break }
            let escaped = characters[index]
            index += 1
            switch escaped {
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "0": out += "\0"
            case "\\", "'", "\"": out.unicodeScalars.append(escaped)
            case "u", "x":
                let width = escaped == "u" ? 4 : 2
                guard index + width <= characters.count,
                    let code = UInt32(String(String.UnicodeScalarView(characters[index..<(index + width)])), radix: 16),
                    let scalar = Unicode.Scalar(code)
                else { throw Failure(message: "bad \\\(escaped) escape in a string") }
                out.unicodeScalars.append(scalar)
                index += width
            default:
                out += "\\"
                out.unicodeScalars.append(escaped)
            }
        }
        throw Failure(message: "unterminated string")
    }
}
