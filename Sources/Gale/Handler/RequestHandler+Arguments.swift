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
        return try decodeArguments((parsed.query[name] ?? []) + (parsed.body[name] ?? []), name: name, strip: strip)
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
        try decodeArguments(try arguments.query[name] ?? [], name: name, strip: strip)
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
        try decodeArguments(try arguments.body[name] ?? [], name: name, strip: strip)
    }

    /// The last value, or Tornado's `MissingArgumentError` (400 "Missing argument NAME").
    static func lastOrMissing(_ values: [String], name: String, fileID: String, line: Int) throws(HTTPError) -> String {
        guard let value = values.last else {
            throw HTTPError(400, reason: "Missing argument \(name)", fileID: fileID, line: line)
        }
        return value
    }

    /// Decodes raw argument values with `decodeArgument`; control characters
    /// (except tab, LF, VT, FF, CR) become spaces (Tornado's
    /// `_remove_control_chars_regex`), then optionally strips. Tornado: `_get_arguments`.
    func decodeArguments(_ values: [[UInt8]], name: String, strip: Bool) throws(HTTPError) -> [String] {
        try values.map { (raw: [UInt8]) throws(HTTPError) -> String in
            var text = try decodeArgument(raw, name: name)
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

extension RequestHandler {
    /// Percent-decodes the route's captures and passes them through `decodeArgument` into
    /// `pathArgs`/`pathKwargs` (Tornado: `_execute`); 400 on bad input.
    func decodePathArguments() throws(HTTPError) {
        guard let match = rawMatch else { return }
        rawMatch = nil
        if !match.named.isEmpty {
            for (name, value) in match.named {
                guard let value else {
                    pathKwargs[name] = ""
                    continue
                }
                pathKwargs[name] = try decodeArgument(Self.percentDecodePathComponent(value, name: name), name: name)
            }
        } else {
            var decoded: [String] = []
            decoded.reserveCapacity(match.positional.count)
            for value in match.positional {
                guard let value else {
                    decoded.append("")
                    continue
                }
                decoded.append(try decodeArgument(Self.percentDecodePathComponent(value, name: nil), name: nil))
            }
            pathArgs = decoded
        }
    }

    /// A route capture's bytes, percent-decoded (`+` stays `+`, as in Tornado's paths).
    static func percentDecodePathComponent(_ raw: Substring, name: String?) throws(HTTPError) -> [UInt8] {
        guard let bytes = try? URLEncoding.decode(raw.utf8, plus: false) else {
            throw HTTPError(400, reason: "Malformed percent-encoding in \(name ?? "url")")
        }
        return bytes
    }

    /// A route capture as text with the default `decodeArgument`, for code that runs before the
    /// request does (`StaticFileHandler.runsOnThreadPool`); `nil` on bad input.
    static func decodePathComponent(_ raw: Substring?) -> String? {
        guard let raw else { return "" }
        guard let bytes = try? percentDecodePathComponent(raw, name: nil) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `decodeArgument`'s default: UTF-8, or 400 "Invalid unicode in NAME" with the first 40
    /// bytes in the log, as Tornado's `decode_argument`.
    func defaultDecodeArgument(_ value: [UInt8], name: String?) throws(HTTPError) -> String {
        guard let text = String(validating: value, as: UTF8.self) else {
            let subject = name ?? "url"
            throw HTTPError(
                400, reason: "Invalid unicode in \(subject)",
                logMessage: "Invalid unicode in \(subject): \(Self.pythonBytesLiteral(value.prefix(40)))")
        }
        return text
    }

    /// `b'caf\xc3'`: bytes as Python's `repr` writes them, as Tornado's log line shows them.
    static func pythonBytesLiteral(_ bytes: some Collection<UInt8>) -> String {
        var out = "b'"
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "'"): out += "\\'"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return out + "'"
    }
}
