/// Parses `multipart/form-data` bodies (RFC 7578) into fields and uploaded files.
///
/// Tornado: `httputil.parse_multipart_form_data`. Unlike Tornado, which logs and skips a
/// malformed body, a malformed body is an error, so the client gets a 400 saying so.
struct MultipartParser {
    /// What was wrong with the body.
    struct MalformedBody: Error, CustomStringConvertible {
        var description: String
    }

    /// The parsed parts.
    var fields: [(String, [UInt8])] = []
    var files: [(String, UploadedFile)] = []

    /// The `boundary` parameter of a `multipart/form-data` content type, unquoted.
    static func boundary(fromContentType contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let trimmed = parameter.trimmingSpaces()
            guard let equals = trimmed.firstIndex(of: "="),
                trimmed[..<equals].trimmingSpaces().lowercased() == "boundary"
            else { continue }
            var value = trimmed[trimmed.index(after: equals)...].trimmingSpaces()
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = value.dropFirst().dropLast()
            }
            return value.isEmpty ? nil : String(value)
        }
        return nil
    }

    /// Parses `body` delimited by `boundary`.
    init(boundary: String, body: [UInt8]) throws(MalformedBody) {
        let delimiter = Array("--\(boundary)".utf8)
        guard let first = body.firstRange(of: delimiter) else {
            throw MalformedBody(description: "multipart body has no boundary line")
        }
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, else CRLF and a part follow.
            if body[cursor...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { return }
            guard body[cursor...].starts(with: [13, 10]) else {
                throw MalformedBody(description: "multipart boundary is not followed by CRLF")
            }
            cursor += 2
            guard let next = body[cursor...].firstRange(of: [13, 10] + delimiter) else {
                throw MalformedBody(description: "multipart part is not terminated by the boundary")
            }
            try parsePart(body[cursor..<next.lowerBound])
            cursor = next.upperBound
        }
    }

    private mutating func parsePart(_ part: ArraySlice<UInt8>) throws(MalformedBody) {
        guard let headerEnd = part.firstRange(of: [13, 10, 13, 10]) else {
            throw MalformedBody(description: "multipart part has no header block")
        }
        let headerText = String(decoding: part[part.startIndex..<headerEnd.lowerBound], as: UTF8.self)
        let value = Array(part[headerEnd.upperBound...])
        var disposition: String?
        var contentType = "application/unknown"
        for line in headerText.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else {
                throw MalformedBody(description: "multipart part has a malformed header line")
            }
            let name = line[..<colon].trimmingSpaces().lowercased()
            let fieldValue = String(line[line.index(after: colon)...].trimmingSpaces())
            if name == "content-disposition" { disposition = fieldValue }
            if name == "content-type" { contentType = fieldValue }
        }
        guard let disposition, disposition.lowercased().hasPrefix("form-data") else {
            throw MalformedBody(description: "multipart part is not form-data")
        }
        let parameters = Self.dispositionParameters(disposition)
        guard let name = parameters["name"] else {
            throw MalformedBody(description: "multipart part has no name")
        }
        // Tornado: a part with an empty file name (an empty file input) is a plain argument.
        if let filename = parameters["filename*"].flatMap(Self.decodeExtendedValue) ?? parameters["filename"],
            !filename.isEmpty
        {
            files.append((name, UploadedFile(filename: filename, body: value, contentType: contentType)))
        } else {
            fields.append((name, value))
        }
    }

    /// An RFC 5987 / RFC 2231 value, `UTF-8'lang'percent-encoded`; `nil` for other charsets.
    static func decodeExtendedValue(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return URLEncoding.decodeString(parts[2])
    }

    /// The `name="value"` parameters of a Content-Disposition value; quoted values may hold `;`.
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var bytes = Substring(value).utf8.drop { $0 != UInt8(ascii: ";") }
        while let semicolon = bytes.first, semicolon == UInt8(ascii: ";") {
            bytes = bytes.dropFirst().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { break }
            let key = String(decoding: bytes[..<equals], as: UTF8.self).lowercased()
            bytes = bytes[bytes.index(after: equals)...]
            var parsed: [UInt8] = []
            if bytes.first == UInt8(ascii: "\"") {
                bytes = bytes.dropFirst()
                while let byte = bytes.first, byte != UInt8(ascii: "\"") {
                    if byte == UInt8(ascii: "\\"), bytes.count > 1 {
                        bytes = bytes.dropFirst()
                    }
                    parsed.append(bytes.first ?? byte)
                    bytes = bytes.dropFirst()
                }
                bytes = bytes.dropFirst()
                bytes = bytes.drop { $0 != UInt8(ascii: ";") }
            } else {
                let end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
                parsed = Array(bytes[..<end])
                bytes = bytes[end...]
            }
            result[String(Substring(key).trimmingSpaces())] = String(decoding: parsed, as: UTF8.self)
        }
        return result
    }
}
