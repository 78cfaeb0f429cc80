#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension TemplateValue {
    /// `value` as a template value: structs and classes become dictionaries of their coding
    /// keys (so `{{ entry.title }}` reads `Entry.title`), arrays lists, optionals `None`, dates
    /// seconds since 1970, other values what their `Encodable` conformance writes. A value that
    /// is `TemplateValueConvertible` is asked directly, without its `Encodable` conformance.
    ///
    /// Tornado passes Python objects to templates as they are; this is the one conversion a
    /// handler's values go through on every `render`, so it is built to be cheap: scalars and
    /// arrays of them skip the encoder, and the values of one type share one list of keys.
    public init(encoding value: some Encodable) throws {
        self = try TemplateValueEncoder(context: TemplateEncodingContext(), parent: nil, key: nil).convert(value)
    }
}

/// What one conversion shares: the key list of each keyed type seen, so the hundred rows of a
/// table share one array of keys (and one comparison per key to check it) instead of building
/// a hundred.
final class TemplateEncodingContext {
    var keyLists: [ObjectIdentifier: [String]] = [:]
}

/// The `Encoder` a conversion walks values with: one per keyed or unkeyed value, collecting
/// `TemplateValue`s directly. Its coding path is found through its parents, only when asked.
final class TemplateValueEncoder: Encoder {
    enum Content {
        case empty
        case single(TemplateValue)
        case keyed(KeyedContent)
        case unkeyed([TemplateValue])
    }

    /// A keyed value being written. While the keys arrive in the order of the type's shared
    /// list, none are stored: `matched` counts them.
    struct KeyedContent {
        var shared: [String]?
        var matched = 0
        var keys: [String] = []
        var values: [TemplateValue] = []
        let type: ObjectIdentifier
    }

    let context: TemplateEncodingContext
    let parent: TemplateValueEncoder?
    let key: (any CodingKey)?
    var content = Content.empty
    /// Containers handed out with `nestedContainer` or `superEncoder`: filled after their
    /// place was taken, so they are read when this value is finished.
    var pending: [(index: Int, encoder: TemplateValueEncoder)] = []

    init(context: TemplateEncodingContext, parent: TemplateValueEncoder?, key: (any CodingKey)?) {
        self.context = context
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: TemplateValueEncoder? = self
        while let current = encoder {
            if let key = current.key { path.append(key) }
            encoder = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// `value` as a template value: the common types directly (a type comparison, not a
    /// cast), then `TemplateValueConvertible`, then through its `Encodable` conformance.
    func convert<T: Encodable>(_ value: T, key: (any CodingKey)? = nil) throws -> TemplateValue {
        if let direct = Self.direct(value) { return direct }
        if let convertible = value as? any TemplateValueConvertible { return convertible.templateValue }
        if let dictionary = value as? any StringKeyedDictionary { return try dictionary.templateValue(using: self) }
        let encoder = TemplateValueEncoder(context: context, parent: self, key: key)
        try value.encode(to: encoder)
        return encoder.finish()
    }

    /// The types handlers pass most, recognised by comparing types.
    static func direct<T>(_ value: T) -> TemplateValue? {
        func exactly<U>(_ type: U.Type) -> U? {
            T.self == U.self
                ? withUnsafePointer(to: value) { $0.withMemoryRebound(to: U.self, capacity: 1) { $0.pointee } } : nil
        }
        if let value = exactly(String.self) { return .string(value) }
        if let value = exactly(Int.self) { return .int(value) }
        if let value = exactly(Double.self) { return .double(value) }
        if let value = exactly(Bool.self) { return .bool(value) }
        if let value = exactly(Float.self) { return .double(Double(value)) }
        if let value = exactly(TemplateValue.self) { return value }
        if let value = exactly([String].self) { return .list(value.map(TemplateValue.string)) }
        if let value = exactly([Int].self) { return .list(value.map(TemplateValue.int)) }
        if let value = exactly([TemplateValue].self) { return .list(value) }
        // Seconds since 1970, what `locale.format_date` takes (Date's own encoding counts from 2001).
        if let value = exactly(Date.self) { return .double(value.timeIntervalSince1970) }
        return nil
    }

    /// The value written, with nested containers read now that they are complete.
    func finish() -> TemplateValue {
        switch content {
        case .empty:
            return .dictionary(TemplateDictionary())
        case .single(let value):
            return value
        case .unkeyed(var values):
            for (index, encoder) in pending { values[index] = encoder.finish() }
            return .list(values)
        case .keyed(var keyed):
            for (index, encoder) in pending { keyed.values[index] = encoder.finish() }
            let keys: [String]
            if let shared = keyed.shared {
                keys = keyed.matched == shared.count ? shared : Array(shared[..<keyed.matched])
            } else {
                keys = keyed.keys
                if context.keyLists[keyed.type] == nil { context.keyLists[keyed.type] = keys }
            }
            return .dictionary(TemplateDictionary(distinctKeys: keys, values: keyed.values))
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if !isKeyed {
            let type = ObjectIdentifier(Key.self)
            var keyed = KeyedContent(shared: context.keyLists[type], type: type)
            keyed.values.reserveCapacity(keyed.shared?.count ?? 8)
            content = .keyed(keyed)
        }
        return KeyedEncodingContainer(TemplateKeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = content { return TemplateUnkeyedContainer(encoder: self) }
        content = .unkeyed([])
        return TemplateUnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        TemplateSingleValueContainer(encoder: self)
    }

    /// Appends `value` under `key`: a key written twice keeps its first place and its last
    /// value, as a Python dictionary does. Returns the value's index.
    @discardableResult
    func append(key: String, _ value: TemplateValue) -> Int {
        guard case .keyed(var keyed) = content else { return 0 }
        content = .empty  // keeps `keyed` uniquely referenced while it changes
        defer { content = .keyed(keyed) }
        if let shared = keyed.shared {
            if keyed.matched < shared.count, shared[keyed.matched] == key {
                keyed.matched += 1
                keyed.values.append(value)
                return keyed.values.count - 1
            }
            keyed.keys = Array(shared[..<keyed.matched])  // the order differs: keys of its own
            keyed.shared = nil
        }
        if let existing = keyed.keys.firstIndex(of: key) {
            keyed.values[existing] = value
            return existing
        }
        keyed.keys.append(key)
        keyed.values.append(value)
        return keyed.values.count - 1
    }

    @discardableResult
    func append(_ value: TemplateValue) -> Int {
        guard case .unkeyed(var values) = content else { return 0 }
        content = .empty
        values.append(value)
        content = .unkeyed(values)
        return values.count - 1
    }

    private var isKeyed: Bool {
        if case .keyed = content { return true }
        return false
    }

    var count: Int {
        switch content {
        case .unkeyed(let values): values.count
        case .keyed(let keyed): keyed.values.count
        default: 0
        }
    }

    /// A container for a nested value, filled in later: its place is taken now.
    func nested(at index: Int, key: (any CodingKey)?) -> TemplateValueEncoder {
        let encoder = TemplateValueEncoder(context: context, parent: self, key: key)
        pending.append((index, encoder))
        return encoder
    }
}

private struct TemplateKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TemplateValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws { encoder.append(key: key.stringValue, .none) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        encoder.append(key: key.stringValue, .string(value))
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.append(key: key.stringValue, .bool(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { encoder.append(key: key.stringValue, .int(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        encoder.append(key: key.stringValue, .double(value))
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        encoder.append(key: key.stringValue, try encoder.convert(value, key: key))
    }

    // Synthesized conformances skip nil optionals; a template should see `None`, not a missing
    // key, so every `encodeIfPresent` writes nil.
    mutating func encodeIfPresent(_ value: (some Encodable)?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }

    private mutating func present(_ value: (some Encodable)?, _ key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        encoder.nested(at: encoder.append(key: key.stringValue, .none), key: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.nested(at: encoder.append(key: key.stringValue, .none), key: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.nested(at: encoder.append(key: "super", .none), key: nil)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.nested(at: encoder.append(key: key.stringValue, .none), key: key)
    }
}

private struct TemplateUnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TemplateValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.count }

    mutating func encodeNil() throws { encoder.append(.none) }
    mutating func encode(_ value: String) throws { encoder.append(.string(value)) }
    mutating func encode(_ value: Bool) throws { encoder.append(.bool(value)) }
    mutating func encode(_ value: Int) throws { encoder.append(.int(value)) }
    mutating func encode(_ value: Double) throws { encoder.append(.double(value)) }
    mutating func encode(_ value: some Encodable) throws { encoder.append(try encoder.convert(value)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        encoder.nested(at: encoder.append(.none), key: nil).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.nested(at: encoder.append(.none), key: nil).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        encoder.nested(at: encoder.append(.none), key: nil)
    }
}

private struct TemplateSingleValueContainer: SingleValueEncodingContainer {
    let encoder: TemplateValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.content = .single(.none) }
    mutating func encode(_ value: String) throws { encoder.content = .single(.string(value)) }
    mutating func encode(_ value: Bool) throws { encoder.content = .single(.bool(value)) }
    mutating func encode(_ value: Int) throws { encoder.content = .single(.int(value)) }
    mutating func encode(_ value: Double) throws { encoder.content = .single(.double(value)) }
    mutating func encode(_ value: Float) throws { encoder.content = .single(.double(Double(value))) }

    mutating func encode(_ value: some Encodable) throws {
        if let integer = value as? any BinaryInteger {
            encoder.content = .single(Int(exactly: integer).map(TemplateValue.int) ?? .string("\(integer)"))
            return
        }
        // The value's own content, as if it had been written here (a wrapper's single value).
        encoder.content = .single(try encoder.convert(value))
    }
}

/// A dictionary with string keys, which `Encodable` would write in hash order (different in
/// every process); converted with its keys sorted instead, so a page does not change between
/// two renders of the same values.
protocol StringKeyedDictionary {
    func templateValue(using encoder: TemplateValueEncoder) throws -> TemplateValue
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func templateValue(using encoder: TemplateValueEncoder) throws -> TemplateValue {
        let pairs = sorted { $0.key < $1.key }
        var values: [TemplateValue] = []
        values.reserveCapacity(pairs.count)
        for (key, value) in pairs { values.append(try encoder.convert(value, key: StringCodingKey(key))) }
        return .dictionary(TemplateDictionary(distinctKeys: pairs.map(\.key), values: values))
    }
}

/// A dictionary's key in a coding path.
private struct StringCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
