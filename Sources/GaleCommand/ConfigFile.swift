#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A configuration file with the command line's names, as Tornado's `parse_config_file`
/// reads: one `name = value` a line, Python's literals, `#` comments.
///
/// ```
/// # friendfeed.conf
/// port = 8000
/// xheaders = True
/// cookie_secret = "a long random string"
/// trusted_downstream = ["10.0.0.0/8", "192.0.2.7"]
/// ```
///
/// `--config PATH` reads it: each line becomes the option of the same name (underscores or
/// dashes), in place of `--config`, so options given after `--config` win over the file and
/// options before it lose. `True` gives a flag, `False` and `None` leave it out, a list repeats
/// the option. A name the command does not take is refused like a mistyped flag.
public struct ConfigFile: Sendable {
    /// Why a configuration file could not be read: the path, the line and what was wrong.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The options the file gives, as command-line arguments.
    public let arguments: [String]

    /// Reads the file at `path`. Tornado: `tornado.options.parse_config_file(path)`.
    public init(path: String) throws(ParseError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParseError(description: "\(path): cannot read the configuration file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ParseError(description: "\(path): the configuration file is not UTF-8")
        }
        var arguments: [String] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingSpaces
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let place = "\(path):\(index + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(description: "\(place): expected `name = value`, found \(line)")
            }
            let name = line[..<equals].trimmingSpaces
            guard let first = name.utf8.first, first == UInt8(ascii: "_") || Self.isLetter(first),
                name.utf8.allSatisfy({
                    $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || Self.isLetter($0) || Self.isDigit($0)
                })
            else {
                throw ParseError(description: "\(place): \"\(name)\" is not an option name")
            }
            let flag = "--" + String(name.map { $0 == "_" ? "-" : $0 })
            let value = try Self.parseValue(line[line.index(after: equals)...].trimmingSpaces, at: place)
            switch value {
            case .flag(let on): if on { arguments.append(flag) }
            case .none: break
            case .values(let values): for value in values { arguments += [flag, value] }
            }
        }
        self.arguments = arguments
    }

    private enum Value {
        case flag(Bool)
        case none
        case values([String])
    }

    private static func parseValue(_ text: String, at place: String) throws(ParseError) -> Value {
        switch text {
        case "True": return .flag(true)
        case "False": return .flag(false)
        case "None": return .none
        default: break
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw ParseError(description: "\(place): a list must end with ]") }
            var items: [String] = []
            var rest = Substring(text.dropFirst().dropLast())
            while !rest.trimmingSpaces.isEmpty {
                rest = Substring(rest.trimmingSpaces)
                let (item, after) = try scalar(rest, at: place)
                items.append(item)
                rest = Substring(after.trimmingSpaces)
                if rest.hasPrefix(",") {
                    rest = rest.dropFirst()
                } else if !rest.isEmpty {
                    throw ParseError(description: "\(place): expected , between list items")
                }
            }
            return .values(items)
        }
        let (item, after) = try scalar(Substring(text), at: place)
        guard after.trimmingSpaces.isEmpty || after.trimmingSpaces.hasPrefix("#") else {
            throw ParseError(description: "\(place): unexpected \(after.trimmingSpaces) after the value")
        }
        return .values([item])
    }

    /// A quoted string or a number at the start of `text`, and what follows it.
    private static func scalar(_ text: Substring, at place: String) throws(ParseError) -> (String, Substring) {
        if let quote = text.first, quote == "\"" || quote == "'" {
            var value = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let character = text[index]
                if character == quote { return (value, text[text.index(after: index)...]) }
                if character == "\\" {
                    index = text.index(after: index)
                    guard index < text.endIndex else { break }
                    switch text[index] {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    default: value.append(text[index])
                    }
                } else {
                    value.append(character)
                }
                index = text.index(after: index)
            }
            throw ParseError(description: "\(place): a string is not closed")
        }
        let number = text.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
        guard !number.isEmpty, Double(number) != nil else {
            throw ParseError(
                description: "\(place): expected a number, a quoted string, True, False, None or a list, found \(text)")
        }
        return (String(number), text[number.endIndex...])
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `arguments` with each `--config PATH` (or `--config=PATH`) preceded by the file's
    /// options, so the ones after it win.
    static func expand(_ arguments: [String]) throws(ParseError) -> [String] {
        var result: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            var path: String?
            if argument == "--config", index + 1 < arguments.endIndex {
                path = arguments[index + 1]
            } else if argument.hasPrefix("--config=") {
                path = String(argument.dropFirst("--config=".count))
            }
            if let path { result += try ConfigFile(path: path).arguments }
            result.append(argument)
            index += 1
        }
        return result
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(
            drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }
                .reversed())
    }
}
