extension TemplateValue: Encodable {
    /// The value as data: `None` as nil, lists as arrays, dictionaries keyed in their order.
    /// This lets a `TemplateValue` sit among other `Encodable` values, as in `render`'s
    /// `[String: any Encodable & Sendable]` form; `TemplateValue(encoding:)` takes a
    /// `TemplateValue` as it is, without this. A function or an object has no data form:
    /// encoding one throws `EncodingError.invalidValue`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .none:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .dictionary(let dictionary):
            var container = encoder.container(keyedBy: StringCodingKey.self)
            for (key, value) in dictionary.items { try container.encode(value, forKey: StringCodingKey(key)) }
        case .function, .object:
            throw EncodingError.invalidValue(
                self,
                EncodingError.Context(
                    codingPath: encoder.codingPath,
                    debugDescription: "a template function or object has no data form to encode"))
        }
    }
}
