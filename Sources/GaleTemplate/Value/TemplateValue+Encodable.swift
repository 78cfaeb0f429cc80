#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension TemplateValue {
    /// `value` as a template value: structs and classes become dictionaries of their coding
    /// keys (so `{{ entry.title }}` reads `Entry.title`), arrays lists, optionals `None` (nested
    /// ones too, and a struct's `nil` fields are kept as `None`), dates seconds since 1970, URLs
    /// their absolute string, `Data` Base64, string-keyed dictionaries with their keys sorted,
    /// integers beyond `Int`'s range their digits as a string, other values what their
    /// `Encodable` conformance writes. A value that
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
/// a hundred; which types go through their `Encodable` conformance, so the rows after the first
/// skip the casts that found out; and the identities of the generic types converted directly,
/// looked up once instead of once a value.
final class TemplateEncodingContext {
    // Unchecked, as `TemplateValueEncoder`'s state is: one conversion, one thread, no
    // overlapping access.
    @exclusivity(unchecked) var keyLists: [ObjectIdentifier: TemplateKeys] = [:]
    @exclusivity(unchecked) var encodedTypes: Set<ObjectIdentifier> = []
    @exclusivity(unchecked) var lastEncodedType: ObjectIdentifier?
    let stringList = ObjectIdentifier([String].self)
    let intList = ObjectIdentifier([Int].self)
    let valueList = ObjectIdentifier([TemplateValue].self)
}

/// The `Encoder` a conversion walks values with: one per keyed or unkeyed value, collecting
/// `TemplateValue`s directly. Its coding path is found through its parents, only when asked.
final class TemplateValueEncoder: Encoder {
    enum Kind {
        case empty, single, keyed, unkeyed
    }

    let context: TemplateEncodingContext
    let parent: TemplateValueEncoder?
    let key: (any CodingKey)?
    // The stored state below is `@exclusivity(unchecked)`: an encoder is used by one conversion
    // on one thread, and no access to it overlaps another (nothing is called while one is in
    // progress), so the runtime's dynamic check is pure cost: under callgrind it was about
    // 7% of a JSON response's instructions, two checks for every field written.
    @exclusivity(unchecked) var kind = Kind.empty
    /// A single value's content.
    @exclusivity(unchecked) var single = TemplateValue.none
    /// Keyed and unkeyed values, in order.
    @exclusivity(unchecked) var values: [TemplateValue] = []
    /// A keyed value's keys, once they stop following `shared`.
    @exclusivity(unchecked) var keys: [String] = []
    /// The key list of the keyed type, from an earlier value of it. While the keys arrive in its
    /// order none are stored: `matched` counts them.
    @exclusivity(unchecked) var shared: TemplateKeys?
    @exclusivity(unchecked) var matched = 0
    @exclusivity(unchecked) var keyedType: ObjectIdentifier?
    /// Containers handed out with `nestedContainer` or `superEncoder`: filled after their
    /// place was taken, so they are read when this value is finished.
    @exclusivity(unchecked) var pending: [(index: Int, encoder: TemplateValueEncoder)] = []

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
        if let direct = direct(value) { return direct }
        let type = ObjectIdentifier(T.self)
        if type != context.lastEncodedType {
            if !context.encodedTypes.contains(type) {
                if let convertible = value as? any TemplateValueConvertible { return convertible.templateValue }
                if let dictionary = value as? any StringKeyedDictionary {
                    return try dictionary.templateValue(using: self)
                }
                context.encodedTypes.insert(type)
            }
            context.lastEncodedType = type
        }
        let encoder = TemplateValueEncoder(context: context, parent: self, key: key)
        try value.encode(to: encoder)
        return encoder.finish()
    }

    /// The types handlers pass most, recognised by comparing types.
    func direct<T>(_ value: T) -> TemplateValue? {
        func exactly<U>(_ type: U.Type) -> U? {
            withUnsafePointer(to: value) { $0.withMemoryRebound(to: U.self, capacity: 1) { $0.pointee } }
        }
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(String.self): return exactly(String.self).map(TemplateValue.string)
        case ObjectIdentifier(Int.self): return exactly(Int.self).map(TemplateValue.int)
        case ObjectIdentifier(Double.self): return exactly(Double.self).map(TemplateValue.double)
        case ObjectIdentifier(Bool.self): return exactly(Bool.self).map(TemplateValue.bool)
        case ObjectIdentifier(Float.self): return exactly(Float.self).map { .double(Double($0)) }
        case ObjectIdentifier(TemplateValue.self): return exactly(TemplateValue.self)
        // Seconds since 1970, what `locale.format_date` takes (Date's own encoding counts from 2001).
        case ObjectIdentifier(Date.self): return exactly(Date.self).map { .double($0.timeIntervalSince1970) }
        case context.stringList: return exactly([String].self).map { .list($0.map(TemplateValue.string)) }
        case context.intList: return exactly([Int].self).map { .list($0.map(TemplateValue.int)) }
        case context.valueList: return exactly([TemplateValue].self).map(TemplateValue.list)
        default: return nil
        }
    }

    /// The value written, with nested containers read now that they are complete.
    func finish() -> TemplateValue {
        for (index, encoder) in pending { values[index] = encoder.finish() }
        switch kind {
        case .empty:
            return .dictionary(TemplateDictionary())
        case .single:
            return single
        case .unkeyed:
            return .list(values)
        case .keyed:
            if let shared, matched == shared.names.count {
                return .dictionary(TemplateDictionary(keys: shared, values: values))
            }
            let dictionary = TemplateDictionary(
                keys: TemplateKeys(distinct: shared.map { Array($0.names[..<matched]) } ?? keys), values: values)
            if shared == nil, let keyedType, context.keyLists[keyedType] == nil {
                context.keyLists[keyedType] = dictionary.keyList
            }
            return .dictionary(dictionary)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if kind != .keyed {
            let type = ObjectIdentifier(Key.self)
            kind = .keyed
            keyedType = type
            shared = context.keyLists[type]
            values.reserveCapacity(shared?.names.count ?? 8)
        }
        return KeyedEncodingContainer(TemplateKeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        kind = .unkeyed
        return TemplateUnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        TemplateSingleValueContainer(encoder: self)
    }

    /// Sets a single value's content.
    func set(_ value: TemplateValue) {
        kind = .single
        single = value
    }

    /// Appends `value` under `key`: a key written twice keeps its first place and its last
    /// value, as a Python dictionary does. Returns the value's index.
    @discardableResult
    func append(key: String, _ value: TemplateValue) -> Int {
        if let shared {
            if matched < shared.names.count, shared.names[matched] == key {
                matched += 1
                values.append(value)
                return values.count - 1
            }
            keys = Array(shared.names[..<matched])  // the order differs: keys of its own
            self.shared = nil
        }
        if let existing = keys.firstIndex(of: key) {
            values[existing] = value
            return existing
        }
        keys.append(key)
        values.append(value)
        return values.count - 1
    }

    /// Appends an unkeyed value; returns its index.
    @discardableResult
    func append(_ value: TemplateValue) -> Int {
        values.append(value)
        return values.count - 1
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
    var count: Int { encoder.values.count }

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

    mutating func encodeNil() throws { encoder.set(.none) }
    mutating func encode(_ value: String) throws { encoder.set(.string(value)) }
    mutating func encode(_ value: Bool) throws { encoder.set(.bool(value)) }
    mutating func encode(_ value: Int) throws { encoder.set(.int(value)) }
    mutating func encode(_ value: Double) throws { encoder.set(.double(value)) }
    mutating func encode(_ value: Float) throws { encoder.set(.double(Double(value))) }

    mutating func encode(_ value: some Encodable) throws {
        if let integer = value as? any BinaryInteger {
            encoder.set(Int(exactly: integer).map(TemplateValue.int) ?? .string("\(integer)"))
            return
        }
        // The value's own content, as if it had been written here (a wrapper's single value).
        encoder.set(try encoder.convert(value))
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
        return .dictionary(TemplateDictionary(keys: TemplateKeys(distinct: pairs.map(\.key)), values: values))
    }
}

/// A dictionary's key in a coding path.
struct StringCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
