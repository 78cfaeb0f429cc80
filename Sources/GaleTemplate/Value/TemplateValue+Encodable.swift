extension TemplateValue {
    /// `value` as a template value: structs and classes become dictionaries of their coding
    /// keys (so `{{ entry.title }}` reads `Entry.title`), arrays lists, optionals `None`, dates
    /// and other values what their `Encodable` conformance writes.
    public init(encoding value: some Encodable) throws {
        self = try ValueEncoder.encode(value, at: []).value
    }
}

/// Collects what an `Encodable` writes; a reference, so nested containers can fill it later.
private final class ValueBox {
    enum Content {
        case single(TemplateValue)
        case keyed([(String, ValueBox)])
        case unkeyed([ValueBox])
    }
    var content: Content = .single(.none)

    var value: TemplateValue {
        switch content {
        case .single(let value): value
        case .keyed(let pairs): .dictionary(TemplateDictionary(pairs.map { ($0.0, $0.1.value) }))
        case .unkeyed(let boxes): .list(boxes.map(\.value))
        }
    }
}

private struct ValueEncoder: Encoder {
    let box = ValueBox()
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = box.content {} else { box.content = .keyed([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = box.content {} else { box.content = .unkeyed([]) }
        return UnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(box: box, codingPath: codingPath)
    }

    /// Encodes `value` into a fresh box: scalars directly, anything else through its conformance.
    static func encode(_ value: some Encodable, at path: [any CodingKey]) throws -> ValueBox {
        let encoder = ValueEncoder(codingPath: path)
        if let scalar = scalar(value) {
            encoder.box.content = .single(scalar)
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
        guard case .keyed(var pairs) = box.content else { return }
        pairs.removeAll { $0.0 == key.stringValue }
        pairs.append((key.stringValue, child))
        box.content = .keyed(pairs)
    }

    mutating func encodeNil(forKey key: Key) throws {
        let child = ValueBox()
        append(key, child)
    }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        append(key, try ValueEncoder.encode(value, at: codingPath + [key]))
    }

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
    var count: Int {
        if case .unkeyed(let boxes) = box.content { return boxes.count }
        return 0
    }

    private func append(_ child: ValueBox) {
        guard case .unkeyed(var boxes) = box.content else { return }
        boxes.append(child)
        box.content = .unkeyed(boxes)
    }

    mutating func encodeNil() throws { append(ValueBox()) }

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

    mutating func encodeNil() throws { box.content = .single(.none) }

    mutating func encode(_ value: some Encodable) throws {
        box.content = try ValueEncoder.encode(value, at: codingPath).content
    }
}
