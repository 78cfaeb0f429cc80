/// An ordered, case-insensitive collection of HTTP header fields.
///
/// Tornado: `tornado.httputil.HTTPHeaders`. Names keep the case they were given; lookups
/// ignore case, as RFC 9110 §5.1 requires. A name may appear more than once (`Set-Cookie`).
///
/// Lookups also take swift-http-types' `HTTPField.Name` (`headers[.userAgent]`), and
/// `HTTPFields(headers)` / `HTTPHeaders(fields)` convert, in order. The storage stays an array
/// of `String` pairs rather than an `HTTPFields`: measured with callgrind, an `HTTPFields`-backed
/// version cost 77,270 instructions a `hello` request against 70,230 (+10 %), validating and
/// lower-casing again each name and checking again each value that NIO's parser or `setHeader`
/// had already checked (README, "Dependencies").
public struct HTTPHeaders: Sendable, Equatable {
    @usableFromInline
    var fields: [(name: String, value: String)]

    /// Creates headers from name/value pairs, in order.
    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// Makes room for `capacity` fields.
    public mutating func reserveCapacity(_ capacity: Int) {
        fields.reserveCapacity(capacity)
    }

    /// The number of fields, counting repeated names separately.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value of `name`, or `nil`. Tornado: `headers.get(name)`.
    public subscript(name: String) -> String? {
        for field in fields where field.name.equalsIgnoringASCIICase(name) {
            return field.value
        }
        return nil
    }

    /// Every value of `name`, in order. Tornado: `headers.get_list(name)`.
    public func values(for name: String) -> [String] {
        fields.compactMap { $0.name.equalsIgnoringASCIICase(name) ? $0.value : nil }
    }

    /// Whether a field called `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func replaceOrAdd(_ name: String, _ value: String) {
        if let index = fields.firstIndex(where: { $0.name.equalsIgnoringASCIICase(name) }) {
            fields[index].value = value
            var next = fields.index(after: index)
            while next < fields.endIndex {
                if fields[next].name.equalsIgnoringASCIICase(name) {
                    fields.remove(at: next)
                } else {
                    next += 1
                }
            }
        } else {
            fields.append((name: name, value: value))
        }
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

extension HTTPHeaders: Sequence {
    /// Iterates the fields in order as `(name, value)` pairs.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// Creates headers from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension StringProtocol {
    /// Compares two strings byte for byte, folding ASCII letters only (header names are ASCII).
    /// Native strings are compared in place, a loop over two byte buffers: the iterators the
    /// fallback walks cost about 1,000 instructions for a 14-byte name like `Content-Length`.
    @inlinable
    package func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard self.utf8.count == other.utf8.count else { return false }
        let inPlace = self.utf8.withContiguousStorageIfAvailable { lhs in
            other.utf8.withContiguousStorageIfAvailable { rhs in
                lhs.indices.allSatisfy { asciiLettersFoldedEqual(lhs[$0], rhs[$0]) }
            }
        }
        if let inPlace, let inPlace { return inPlace }
        return zip(self.utf8, other.utf8).allSatisfy { asciiLettersFoldedEqual($0, $1) }
    }
}

/// Whether two bytes are equal, or the same ASCII letter in either case.
@inlinable
func asciiLettersFoldedEqual(_ a: UInt8, _ b: UInt8) -> Bool {
    if a == b { return true }
    let folded = a | 0x20
    return folded == b | 0x20 && folded >= UInt8(ascii: "a") && folded <= UInt8(ascii: "z")
}
