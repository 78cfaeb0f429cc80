/// A dictionary that keeps insertion order, as Python's does; keys are strings.
///
/// Rows in templates are small (a handful of keys), so up to 16 keys are found by comparing
/// fingerprints in order (`TemplateKey`), which is cheaper than hashing; larger ones keep a hash
/// index too. The keys are a `TemplateKeys`, which the rows of one table share; the storage is
/// immutable, so copying a dictionary retains one reference and reading it needs no exclusivity
/// check. Setting a key makes new storage, which suits templates, whose dictionaries are built
/// once and read many times.
public struct TemplateDictionary: Sendable {
    private final class Storage: Sendable {
        let keys: TemplateKeys
        let values: [TemplateValue]

        init(keys: TemplateKeys, values: [TemplateValue]) {
            self.keys = keys
            self.values = values
        }
    }

    private var storage: Storage

    /// An empty dictionary.
    public init() {
        storage = Storage(keys: TemplateKeys(distinct: []), values: [])
    }

    /// The pairs, in order; a repeated key keeps its first place and its last value.
    public init(_ pairs: [(String, TemplateValue)]) {
        var keys: [String] = []
        var values: [TemplateValue] = []
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        var seen: [String: Int] = [:]
        for (key, value) in pairs {
            let existing = pairs.count > 16 ? seen[key] : keys.firstIndex(of: key)
            if let existing {
                values[existing] = value
            } else {
                if pairs.count > 16 { seen[key] = keys.count }
                keys.append(key)
                values.append(value)
            }
        }
        storage = Storage(keys: TemplateKeys(distinct: keys), values: values)
    }

    /// `values` under `keys`, in order: the cheapest way to build many rows with the same keys
    /// (a `TemplateValueConvertible` conformance keeps its `TemplateKeys` in a `static let`).
    /// `values` must have one value for each key.
    public init(keys: TemplateKeys, values: [TemplateValue]) {
        precondition(
            values.count == keys.names.count, "TemplateDictionary: \(values.count) values for \(keys.names.count) keys")
        storage = Storage(keys: keys, values: values)
    }

    /// The value for a key whose fingerprint was computed once, where the template was parsed.
    func value(for key: TemplateKey) -> TemplateValue? {
        storage.keys.position(of: key).map { storage.values[$0] }
    }

    public var count: Int { storage.values.count }

    /// The keys, in insertion order.
    public var keys: [String] { storage.keys.names }

    /// The shared key list.
    var keyList: TemplateKeys { storage.keys }

    /// The values, in the keys' order: a writer walking keys and values together reads each
    /// value by position instead of looking its key up again.
    var orderedValues: [TemplateValue] { storage.values }

    public subscript(key: String) -> TemplateValue? {
        get { value(for: TemplateKey(key)) }
        set {
            var keys = storage.keys.names
            var values = storage.values
            switch (storage.keys.position(of: TemplateKey(key)), newValue) {
            case (let position?, let value?): values[position] = value
            case (nil, let value?):
                keys.append(key)
                values.append(value)
            case (let position?, nil):
                keys.remove(at: position)
                values.remove(at: position)
            case (nil, nil): return
            }
            storage = Storage(keys: TemplateKeys(distinct: keys), values: values)
        }
    }

    /// Writes the value for `key` (escaped or not) straight from storage, without copying it
    /// out; `false` when there is no such key.
    func write(_ key: TemplateKey, escaped: Bool, to output: inout [UInt8]) -> Bool {
        guard let position = storage.keys.position(of: key) else { return false }
        storage.values.withUnsafeBufferPointer { values in
            if escaped {
                values[position].writeEscaped(to: &output)
            } else {
                values[position].write(to: &output)
            }
        }
        return true
    }

    /// The pairs, in insertion order.
    public var items: [(key: String, value: TemplateValue)] {
        Array(zip(storage.keys.names, storage.values))
    }
}

/// The keys of a `TemplateDictionary`, in order, with what finds them fast: each key's
/// fingerprint and, past 16 keys, a hash index. Made once and shared by every dictionary with
/// the same keys (the rows of a table), so a row costs its values only.
///
/// ```swift
/// extension Entry: TemplateValueConvertible {
///     static let templateKeys = TemplateKeys(["title", "stars"])
///     var templateValue: TemplateValue {
///         .dictionary(TemplateDictionary(keys: Self.templateKeys, values: [.string(title), .int(stars)]))
///     }
/// }
/// ```
public final class TemplateKeys: Sendable {
    /// The keys, in order.
    public let names: [String]
    let fingerprints: [UInt64]
    let index: [String: Int]?

    /// `names` must be distinct.
    public convenience init(_ names: [String]) {
        precondition(Set(names).count == names.count, "TemplateKeys: a key is repeated in \(names)")
        self.init(distinct: names)
    }

    /// Keys already known to be distinct.
    init(distinct names: [String]) {
        self.names = names
        fingerprints = names.map(TemplateKey.fingerprint)
        index = names.count > 16 ? Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) }) : nil
    }

    func position(of key: TemplateKey) -> Int? {
        if let index { return index[key.name] }
        return fingerprints.withUnsafeBufferPointer { fingerprints in
            for position in fingerprints.indices where fingerprints[position] == key.fingerprint {
                if key.isWhollyInFingerprint || names[position] == key.name { return position }
            }
            return nil
        }
    }
}

/// A dictionary key as templates look it up: the name, and a fingerprint (its length and first
/// seven bytes) that rules out almost every other key with one integer comparison, and settles
/// a key of up to seven bytes without comparing strings at all.
struct TemplateKey: Sendable {
    let name: String
    let fingerprint: UInt64

    init(_ name: String) {
        self.name = name
        fingerprint = Self.fingerprint(name)
    }

    /// Whether the fingerprint holds the whole key (seven bytes or fewer).
    var isWhollyInFingerprint: Bool { fingerprint >> 56 <= 7 }

    static func fingerprint(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { bytes in
            var bits = UInt64(min(bytes.count, 255)) << 56
            for index in 0..<min(bytes.count, 7) { bits |= UInt64(bytes[index]) << (index * 8) }
            return bits
        }
    }
}
