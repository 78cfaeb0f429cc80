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
private final class ValueBox {
    enum Kind {
        case single, keyed, unkeyed
    }
    var kind = Kind.single
    var single = TemplateValue.none

    init() {}

    init(_ value: TemplateValue) {
        single = value
    }
    /// Keyed content, in order; a key written twice keeps its first place.
    var keys: [String] = []
    var children: [ValueBox] = []

    var value: TemplateValue {
        switch kind {
        case .single: return single
        case .keyed:
            return .dictionary(TemplateDictionary(distinctKeys: keys, values: children.map(\.value)))
        case .unkeyed: return .list(children.map(\.value))
        }
    }

    func append(key: String, _ child: ValueBox) {
        if let existing = keys.firstIndex(of: key) {
            children[existing] = child
        } else {
            keys.append(key)
            children.append(child)
        }
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

    /// Encodes `value` into a fresh box: scalars directly, anything else through its conformance.
    static func encode(_ value: some Encodable, at path: [any CodingKey]) throws -> ValueBox {
        let encoder = ValueEncoder(codingPath: path)
        if let scalar = scalar(value) {
            encoder.box.single = scalar
        } else {
            try value.encode(to: encoder)
        }
        return encoder.box
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

    private func append(_ key: Key, _ child: ValueBox) {
        box.append(key: key.stringValue, child)
    }

    mutating func encodeNil(forKey key: Key) throws {
        let child = ValueBox()
        append(key, child)
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        append(key, try ValueEncoder.encode(value, at: codingPath + [key]))
    }

    // The primitive overloads skip `ValueEncoder.scalar`'s dynamic casts.
    mutating func encode(_ value: String, forKey key: Key) throws { append(key, ValueBox(.string(value))) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { append(key, ValueBox(.bool(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { append(key, ValueBox(.int(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { append(key, ValueBox(.double(value))) }

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
        append(key, encoder.box)
        return encoder.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let encoder = ValueEncoder(codingPath: codingPath + [key])
        append(key, encoder.box)
        return encoder.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { ValueEncoder(codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let encoder = ValueEncoder(codingPath: codingPath + [key])
        append(key, encoder.box)
        return encoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: ValueBox
    var codingPath: [any CodingKey]
    var count: Int { box.children.count }

    private func append(_ child: ValueBox) {
        box.children.append(child)
    }

    mutating func encodeNil() throws { append(ValueBox()) }
    mutating func encode(_ value: String) throws { append(ValueBox(.string(value))) }
    mutating func encode(_ value: Bool) throws { append(ValueBox(.bool(value))) }
    mutating func encode(_ value: Int) throws { append(ValueBox(.int(value))) }
    mutating func encode(_ value: Double) throws { append(ValueBox(.double(value))) }

    mutating func encode(_ value: some Encodable) throws {
        append(try ValueEncoder.encode(value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let encoder = ValueEncoder(codingPath: codingPath)
        append(encoder.box)
        return encoder.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let encoder = ValueEncoder(codingPath: codingPath)
        append(encoder.box)
        return encoder.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = ValueEncoder(codingPath: codingPath)
        append(encoder.box)
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
        let encoded = try ValueEncoder.encode(value, at: codingPath)
        box.kind = encoded.kind
        box.single = encoded.single
        box.keys = encoded.keys
        box.children = encoded.children
    }
}
