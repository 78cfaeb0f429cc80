#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A Swift value that turns itself into a `TemplateValue` directly, without going through
/// `Encodable`: the cheapest way to hand a handler's values to a template.
///
/// Strings, numbers, `Bool`, `Date` (seconds since 1970), `URL` (its absolute string), `Data`
/// (Base64), and arrays, optionals and string-keyed dictionaries of such values conform
/// already. A type of your own conforms by building its dictionary; with
/// its keys made once (`TemplateKeys`), a value costs its values only:
///
/// ```swift
/// extension Entry: TemplateValueConvertible {
///     static let templateKeys = TemplateKeys(["title", "stars"])
///     var templateValue: TemplateValue {
///         .dictionary(TemplateDictionary(keys: Self.templateKeys, values: [.string(title), .int(stars)]))
///     }
/// }
/// ```
/// `TemplateValue(encoding:)` asks a conforming value (or one nested in an `Encodable` value)
/// directly. Tornado has no such step: Python objects reach templates as they are.
public protocol TemplateValueConvertible {
    /// The value as templates see it.
    var templateValue: TemplateValue { get }
}

extension TemplateValue: TemplateValueConvertible {
    public var templateValue: TemplateValue { self }
}

extension String: TemplateValueConvertible {
    public var templateValue: TemplateValue { .string(self) }
}

extension Substring: TemplateValueConvertible {
    public var templateValue: TemplateValue { .string(String(self)) }
}

extension Int: TemplateValueConvertible {
    public var templateValue: TemplateValue { .int(self) }
}

extension Double: TemplateValueConvertible {
    public var templateValue: TemplateValue { .double(self) }
}

extension Float: TemplateValueConvertible {
    public var templateValue: TemplateValue { .double(Double(self)) }
}

extension Bool: TemplateValueConvertible {
    public var templateValue: TemplateValue { .bool(self) }
}

extension Date: TemplateValueConvertible {
    /// Seconds since 1970, what `locale.format_date` takes.
    public var templateValue: TemplateValue { .double(timeIntervalSince1970) }
}

extension URL: TemplateValueConvertible {
    /// The URL's absolute string, as `JSONEncoder` writes a URL (its `Encodable` conformance
    /// would give `{"relative": ...}`).
    public var templateValue: TemplateValue { .string(absoluteString) }
}

extension Data: TemplateValueConvertible {
    /// The bytes in Base64, as `JSONEncoder` writes `Data` by default (its `Encodable`
    /// conformance would give a list of numbers, one a byte).
    public var templateValue: TemplateValue { .string(base64EncodedString()) }
}

extension Optional: TemplateValueConvertible where Wrapped: TemplateValueConvertible {
    /// `None` for `nil`.
    public var templateValue: TemplateValue { map { $0.templateValue } ?? .none }
}

extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    public var templateValue: TemplateValue { .list(map { $0.templateValue }) }
}

extension Dictionary: TemplateValueConvertible where Key == String, Value: TemplateValueConvertible {
    /// Keys in sorted order: a Swift dictionary has no order of its own, and a page must not
    /// change between two renders of the same values.
    public var templateValue: TemplateValue {
        let pairs = sorted { $0.key < $1.key }
        return .dictionary(
            TemplateDictionary(
                keys: TemplateKeys(distinct: pairs.map(\.key)), values: pairs.map { $0.value.templateValue }))
    }
}
