import HTTPTypes

// swift-http-types' field names as keys, and the conversions to and from `HTTPFields`. The
// conversions copy (one pass): `HTTPHeaders` does not store an `HTTPFields`, which measured
// 10 % more instructions a `hello` request (see `HTTPHeaders` and README, "Dependencies").

extension HTTPHeaders {
    /// The first value of `name`, or `nil`: `request.headers[.userAgent]`.
    /// Tornado: `headers.get(name)`.
    public subscript(name: HTTPField.Name) -> String? {
        self[name.rawName]
    }

    /// Every value of `name`, in order. Tornado: `headers.get_list(name)`.
    public func values(for name: HTTPField.Name) -> [String] {
        values(for: name.rawName)
    }

    /// Whether a field called `name` is present.
    public func contains(_ name: HTTPField.Name) -> Bool {
        contains(name.rawName)
    }

    /// Appends a field, keeping any existing ones of the same name.
    public mutating func add(_ name: HTTPField.Name, _ value: String) {
        add(name.rawName, value)
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func replaceOrAdd(_ name: HTTPField.Name, _ value: String) {
        replaceOrAdd(name.rawName, value)
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: HTTPField.Name) {
        remove(name.rawName)
    }

    /// Headers holding `fields`, in order, each name spelled as it was given (`rawName`).
    /// Nothing is lost: every `HTTPField` is already a valid token name with a legal value.
    public init(_ fields: HTTPFields) {
        self.init()
        reserveCapacity(fields.count)
        for field in fields { add(field.name.rawName, field.value) }
    }
}

extension HTTPFields {
    /// Fields holding `headers`, in order, with duplicates and the case of names kept.
    ///
    /// A field whose name is not an RFC 9110 token (empty, or with a space, a colon or a
    /// control character) is left out: `HTTPFields` cannot hold it, and no transport would
    /// send it (`setHeader` refuses such a name, NIO's parser refuses such a request). Only
    /// headers built by hand (`HTTPHeaders([("bad name", "x")])`) can have one.
    /// `headers.invalidFieldNames` lists them when that matters.
    ///
    /// A value with a byte `HTTPFields` does not allow (a control character other than tab,
    /// or spaces around it) is legalized by swift-http-types: control characters become
    /// spaces and surrounding spaces are dropped. `setHeader` refuses such values instead.
    public init(_ headers: HTTPHeaders) {
        self.init()
        reserveCapacity(headers.count)
        for (name, value) in headers {
            guard let name = HTTPField.Name(name) else { continue }
            append(HTTPField(name: name, value: value))
        }
    }
}

extension HTTPHeaders {
    /// The names that `HTTPFields(_:)` leaves out because they are not RFC 9110 tokens, in
    /// order; empty for every header a transport or `setHeader` made.
    public var invalidFieldNames: [String] {
        compactMap { HTTPField.Name($0.name) == nil ? $0.name : nil }
    }
}
