extension RequestHandler {
    /// The request's parsed arguments and files, parsed once per request.
    /// Throws a 400 when the query or body is malformed.
    public var arguments: RequestArguments {
        get throws(HTTPError) {
            if let argumentsCache { return argumentsCache }
            let parsed = try RequestArguments(parsing: request)
            argumentsCache = parsed
            return parsed
        }
    }

    /// The last value of argument `name` from the query or body.
    /// Tornado: `get_argument(name)`; missing: 400 "Missing argument name", an `HTTPError`
    /// located at the call (leave `fileID` and `line` out).
    public func getArgument(_ name: String, strip: Bool = true, fileID: String = #fileID, line: Int = #line)
        throws(HTTPError) -> String
    {
        try Self.lastOrMissing(getArguments(name, strip: strip), name: name, fileID: fileID, line: line)
    }

    /// The last value of argument `name`, or `defaultValue` when absent.
    /// Tornado: `get_argument(name, default)`.
    public func getArgument(_ name: String, default defaultValue: String?, strip: Bool = true) throws(HTTPError)
        -> String?
    {
        try getArguments(name, strip: strip).last ?? defaultValue
    }

    /// Every value of argument `name` from query and body, in order. Tornado: `get_arguments`.
    public func getArguments(_ name: String, strip: Bool = true) throws(HTTPError) -> [String] {
        let parsed = try arguments
        return try Self.decode((parsed.query[name] ?? []) + (parsed.body[name] ?? []), name: name, strip: strip)
    }

    /// The last value of `name` in the query string. Tornado: `get_query_argument`; missing:
    /// 400, located at the call.
    public func getQueryArgument(_ name: String, strip: Bool = true, fileID: String = #fileID, line: Int = #line)
        throws(HTTPError) -> String
    {
        try Self.lastOrMissing(getQueryArguments(name, strip: strip), name: name, fileID: fileID, line: line)
    }

    /// The last value of `name` in the query string, or `defaultValue`.
    public func getQueryArgument(_ name: String, default defaultValue: String?, strip: Bool = true) throws(HTTPError)
        -> String?
    {
        try getQueryArguments(name, strip: strip).last ?? defaultValue
    }

    /// Every value of `name` in the query string. Tornado: `get_query_arguments`.
    public func getQueryArguments(_ name: String, strip: Bool = true) throws(HTTPError) -> [String] {
        try Self.decode(try arguments.query[name] ?? [], name: name, strip: strip)
    }

    /// The last value of `name` in the body. Tornado: `get_body_argument`; missing: 400,
    /// located at the call.
    public func getBodyArgument(_ name: String, strip: Bool = true, fileID: String = #fileID, line: Int = #line)
        throws(HTTPError) -> String
    {
        try Self.lastOrMissing(getBodyArguments(name, strip: strip), name: name, fileID: fileID, line: line)
    }

    /// The last value of `name` in the body, or `defaultValue`.
    public func getBodyArgument(_ name: String, default defaultValue: String?, strip: Bool = true) throws(HTTPError)
        -> String?
    {
        try getBodyArguments(name, strip: strip).last ?? defaultValue
    }

    /// Every value of `name` in the body. Tornado: `get_body_arguments`.
    public func getBodyArguments(_ name: String, strip: Bool = true) throws(HTTPError) -> [String] {
        try Self.decode(try arguments.body[name] ?? [], name: name, strip: strip)
    }

    /// The last value, or Tornado's `MissingArgumentError` (400 "Missing argument NAME").
    static func lastOrMissing(_ values: [String], name: String, fileID: String, line: Int) throws(HTTPError) -> String {
        guard let value = values.last else {
            throw HTTPError(400, reason: "Missing argument \(name)", fileID: fileID, line: line)
        }
        return value
    }

    /// Decodes raw argument values as UTF-8; control characters
    /// (except tab, LF, VT, FF, CR) become spaces (Tornado's
    /// `_remove_control_chars_regex`), then optionally strips.
    static func decode(_ values: [[UInt8]], name: String, strip: Bool) throws(HTTPError) -> [String] {
        try values.map { (raw: [UInt8]) throws(HTTPError) -> String in
            guard var text = String(validating: raw, as: UTF8.self) else {
                throw HTTPError(400, reason: "Invalid unicode in argument \(name)")
            }
            if text.utf8.contains(where: { $0 < 0x20 && !(0x09...0x0D).contains($0) }) {
                text = String(
                    String.UnicodeScalarView(
                        text.unicodeScalars.map { scalar in
                            scalar.value < 0x20 && !(0x09...0x0D).contains(scalar.value) ? " " : scalar
                        }))
            }
            if strip {
                text = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            }
            return text
        }
    }
}
