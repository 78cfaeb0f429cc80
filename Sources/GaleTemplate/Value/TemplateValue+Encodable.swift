#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension TemplateValue {
    /// `value` as a template value: structs and classes become dictionaries of their coding
    /// keys (so `{{ entry.title }}` reads `Entry.title`), arrays lists, optionals `None`, dates
    /// seconds since 1970, other values what their `Encodable` conformance writes.
    public init(encoding value: some Encodable) throws {
        self = try ValueEncoder.encode(value, at: []).value
    }
}

/// Collects what an `Encodable` writes; a reference, so nested containers can fill it later.
/// Scalars are kept as values; only nested containers get a box of their own.
private final class ValueBox {
    enum Kind {
        case single, keyed, unkeyed
    }
    enum Child {
        case value(TemplateValue)
        case box(ValueBox)

        var value: TemplateValue {
            switch self {
            case .value(let value): value
            case .box(let box): box.value
            }
        }
    }
    var kind = Kind.single
    var single = TemplateValue.none
    /// Keyed content in order (a key written twice: its first place, its last value).
    var keys: [String] = []
    var children: [Child] = []

    var value: TemplateValue {
        switch kind {
        case .single: return single
        case .keyed: return .dictionary(TemplateDictionary(Array(zip(keys, children.map(\.value)))))
        case .unkeyed: return .list(children.map(\.value))
        }
    }

    func append(key: String, _ child: Child) {
        keys.append(key)
        children.append(child)
    }
}

private struct ValueEncoder: Encoder {
    let box = ValueBox()
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        box.kind = .keyed
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        box.kind = .unkeyed
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(box: box, codingPath: codingPath)
    }

    /// `value` as a child: a scalar directly, anything else through its conformance into a box.
    static func encode(_ value: some Encodable, at path: @autoclosure () -> [any CodingKey]) throws
        -> ValueBox.Child
    {
        if let scalar = scalar(value) { return .value(scalar) }
        let encoder = ValueEncoder(codingPath: path())
        try value.encode(to: encoder)
        return .box(encoder.box)
    }

    static func scalar(_ value: some Encodable) -> TemplateValue? {
        switch value {
        case let value as TemplateValue: value
        case let value as String: .string(value)
        case let value as Bool: .bool(value)
        case let value as Int: .int(value)
        case let value as Double: .double(value)
        // Seconds since 1970, what `locale.format_date` takes (Date's own encoding counts from 2001).
        case let value as Date: .double(value.timeIntervalSince1970)
        case let value as Float: .double(Double(value))
        case let value as any BinaryInteger: Int(exactly: value).map(TemplateValue.int) ?? .string("\(value)")
        default: nil
        }
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ValueBox
    var codingPath: [any CodingKey]

    private func append(_ key: Key, _ child: ValueBox.Child) {
        box.append(key: key.stringValue, child)
    }

    mutating func encodeNil(forKey key: Key) throws {
        append(key, .value(.none))
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        append(key, try ValueEncoder.encode(value, at: codingPath + [key]))
    }

    // The primitive overloads skip `ValueEncoder.scalar`'s dynamic casts.
    mutating func encode(_ value: String, forKey key: Key) throws { append(key, .value(.string(value))) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { append(key, .value(.bool(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { append(key, .value(.int(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { append(key, .value(.double(value))) }

    // Synthesized conformances skip nil optionals; a template should see `None`, not a missing
    // key, so every `encodeIfPresent` writes nil.
    mutating func encodeIfPresent(_ value: (some Encodable)?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
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
        let encoder = ValueEncoder(codingPath: codingPath + [key])
        append(key, .box(encoder.box))
        return encoder.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let encoder = ValueEncoder(codingPath: codingPath + [key])
        append(key, .box(encoder.box))
        return encoder.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = ValueEncoder(codingPath: codingPath + [key])
        append(key, .box(encoder.box))
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ValueBox
    var codingPath: [any CodingKey]
    var count: Int { box.children.count }

    private func append(_ child: ValueBox.Child) {
        box.children.append(child)
    }

    mutating func encodeNil() throws { append(.value(.none)) }
    mutating func encode(_ value: String) throws { append(.value(.string(value))) }
    mutating func encode(_ value: Bool) throws { append(.value(.bool(value))) }
    mutating func encode(_ value: Int) throws { append(.value(.int(value))) }
    mutating func encode(_ value: Double) throws { append(.value(.double(value))) }

    mutating func encode(_ value: some Encodable) throws {
        append(try ValueEncoder.encode(value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let encoder = ValueEncoder(codingPath: codingPath)
        append(.box(encoder.box))
        return encoder.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let encoder = ValueEncoder(codingPath: codingPath)
        append(.box(encoder.box))
        return encoder.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = ValueEncoder(codingPath: codingPath)
        append(.box(encoder.box))
        return encoder
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let box: ValueBox
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws {
        box.kind = .single
        box.single = .none
    }

    mutating func encode(_ value: some Encodable) throws {
        switch try ValueEncoder.encode(value, at: codingPath) {
        case .value(let scalar):
            box.kind = .single
            box.single = scalar
        case .box(let encoded):
            box.kind = encoded.kind
            box.single = encoded.single
            box.keys = encoded.keys
            box.children = encoded.children
        }
    }
}
