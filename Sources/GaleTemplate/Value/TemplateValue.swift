/// A value inside a template: what expressions compute and what `render` is given.
///
/// Tornado templates run Python, so their values are Python objects; Gale's templates use this
/// small, safe set instead. Swift values enter through `TemplateValue(encoding:)` (anything
/// `Encodable`: structs become dictionaries of their coding keys) or `TemplateObject` (an object
/// that answers attribute lookups itself, such as the request).
public enum TemplateValue: Sendable {
    /// Python's `None`.
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case dictionary(TemplateDictionary)
    /// A callable: a helper such as `static_url`, `_` or `xhtml_escape`.
    case function(TemplateFunction)
    /// A Swift object that resolves its own attributes. Boxed (`indirect`), so every case's
    /// payload is at most a `String` and copying a value stays cheap.
    indirect case object(any TemplateObject)
}

/// A Swift object a template reads attributes of (`{{ request.path }}`) or calls methods on.
public protocol TemplateObject: Sendable {
    /// The attribute `name`, or `nil` when there is none (an error in the template).
    func templateAttribute(_ name: String) -> TemplateValue?
}

/// Arguments of a template function call: positional, then keyword (`f(a, b, key=c)`).
public struct TemplateArguments: Sendable {
    public var positional: [TemplateValue]
    public var keyword: [(name: String, value: TemplateValue)]

    /// Creates call arguments.
    public init(_ positional: [TemplateValue] = [], keyword: [(name: String, value: TemplateValue)] = []) {
        self.positional = positional
        self.keyword = keyword
    }

    /// Positional argument `index`, else the keyword argument `name`.
    public func value(_ index: Int, _ name: String) -> TemplateValue? {
        if index < positional.count { return positional[index] }
        return keyword.last { $0.name == name }?.value
    }
}

/// A function templates can call. Tornado: any Python callable in the namespace.
public final class TemplateFunction: Sendable {
    /// The name errors use.
    public let name: String
    let body: @Sendable (TemplateArguments) throws -> TemplateValue

    /// Wraps `body`; errors it throws fail the render with the template's file and line.
    public init(_ name: String, _ body: @escaping @Sendable (TemplateArguments) throws -> TemplateValue) {
        self.name = name
        self.body = body
    }

    /// Calls the function.
    public func call(_ arguments: TemplateArguments) throws -> TemplateValue {
        try body(arguments)
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .dictionary(TemplateDictionary(elements))
    }
    public init(nilLiteral: ()) { self = .none }
}

extension TemplateValue {
    /// Python's truth value: `None`, `False`, zero, and empty strings and containers are false.
    public var isTruthy: Bool {
        switch self {
        case .none: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .list(let value): !value.isEmpty
        case .dictionary(let value): value.count > 0
        case .function, .object: true
        }
    }

    /// The Python type name, for error messages.
    public var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .list: "list"
        case .dictionary: "dict"
        case .function: "function"
        case .object(let object): String(describing: type(of: object))
        }
    }

    /// The value as text, as Python's `str()` gives it (`None`, `True`, `1.5`, `[1, 'a']`);
    /// what `{{ value }}` prints before escaping.
    public var text: String {
        switch self {
        case .string(let value): value
        default: representation(quoted: false)
        }
    }

    private func representation(quoted: Bool) -> String {
        switch self {
        case .none: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .int(let value): return String(value)
        case .double(let value): return Self.pythonFloat(value)
        case .string(let value): return quoted ? Self.pythonQuote(value) : value
        case .list(let values):
            return "[" + values.map { $0.representation(quoted: true) }.joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            let pairs = dictionary.items.map { Self.pythonQuote($0.key) + ": " + $0.value.representation(quoted: true) }
            return "{" + pairs.joined(separator: ", ") + "}"
        case .function(let function): return "<function \(function.name)>"
        case .object(let object): return (object as? any CustomStringConvertible)?.description ?? typeName
        }
    }

    /// Python's `repr` of a float: `1.0`, `0.1`, `1e+20`, `inf`, `nan`.
    static func pythonFloat(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendPythonFloat(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends Python's `repr` of a float; no character in it needs HTML escaping.
    static func appendPythonFloat(_ value: Double, to output: inout [UInt8]) {
        if value.isNaN {
            output += Array("nan".utf8)
        } else if value.isInfinite {
            output += Array((value < 0 ? "-inf" : "inf").utf8)
        } else if value == value.rounded(), abs(value) < 1e16 {
            if value == 0 && value.sign == .minus { output.append(UInt8(ascii: "-")) }  // -0.0
            Escape.appendDecimal(Int(value), to: &output)
            output += [UInt8(ascii: "."), UInt8(ascii: "0")]
        } else {
            var text = value.description  // the shortest round-trip form, as Python's repr
            let written = text.withUTF8 { bytes -> Bool in
                guard !bytes.contains(UInt8(ascii: "e")) else { return false }
                output.append(contentsOf: bytes)  // no exponent: Swift's form is Python's
                return true
            }
            if written { return }
            let bytes = Array(text.utf8)
            guard let exponent = bytes.firstIndex(of: UInt8(ascii: "e")) else { return }
            // Swift writes 1e-05 and 1e+16 too, but Python always signs the exponent and pads
            // it to two digits.
            output += bytes[..<exponent]
            output.append(UInt8(ascii: "e"))
            var power = bytes[(exponent + 1)...]
            output.append(power.first == UInt8(ascii: "-") ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            power = power.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") }
            if power.count < 2 { output.append(UInt8(ascii: "0")) }
            output += power
        }
    }

    /// Python's `repr` of a string: single quotes unless the text holds one and no double;
    /// code points Python does not print (controls, format characters, separators other than
    /// the space, private use, unassigned) as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
    static func pythonQuote(_ text: String) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case quote, "\\":
                out.append("\\")
                out.append(scalar)
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
            default:
                if isPythonPrintable(scalar) {
                    out.append(scalar)
                    continue
                }
                let (marker, digits) = scalar.value < 0x100 ? ("x", 2) : scalar.value < 0x10000 ? ("u", 4) : ("U", 8)
                let hex = String(scalar.value, radix: 16)
                let padding = String(repeating: "0", count: digits - hex.count)
                out.append(contentsOf: ("\\" + marker + padding + hex).unicodeScalars)
            }
        }
        out.append(quote)
        return String(out)
    }

    /// Python's `str.isprintable` for one code point (Unicode's space separators other than
    /// the space, line and paragraph separators, and the `C` categories are not printable).
    private static func isPythonPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value != 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default: return true
        }
    }
}
