/// The arguments of a request: query string, form body, and uploaded files.
///
/// Tornado: `request.query_arguments`, `request.body_arguments`, `request.arguments` and
/// `request.files`. Values are raw bytes; `RequestHandler.getArgument` decodes them as UTF-8
/// (400 when they are not).
public struct RequestArguments: Sendable {
    /// Arguments from the query string, by name, in order.
    public var query: [String: [[UInt8]]] = [:]
    /// Arguments from a urlencoded or multipart body, by name, in order.
    public var body: [String: [[UInt8]]] = [:]
    /// Uploaded files from a multipart body, by field name.
    public var files: [String: [UploadedFile]] = [:]

    /// Query and body arguments together, query first. Tornado: `request.arguments`.
    public var all: [String: [[UInt8]]] {
        query.merging(body) { $0 + $1 }
    }

    /// Parses the arguments of `request`; throws a 400 for malformed input.
    /// Tornado: `parse_qs_bytes` and `parse_body_arguments`.
    public init(parsing request: ServerRequest) throws(HTTPError) {
        let query = request.query
        if !query.isEmpty {
            do {
                for (name, value) in try URLEncoding.parseForm(query.utf8) {
                    self.query[name, default: []].append(value)
                }
            } catch {
                throw HTTPError(400, reason: "Malformed percent-encoding in query", logMessage: "\(error)")
            }
        }
        guard !request.body.isEmpty, let contentType = request.headers["Content-Type"] else { return }
        if let encoding = request.headers["Content-Encoding"], encoding.lowercased() != "identity" {
            throw HTTPError(415, reason: "Unsupported Content-Encoding", logMessage: encoding)
        }
        let lowered = contentType.lowercased()
        if lowered.hasPrefix("application/x-www-form-urlencoded") {
            do {
                for (name, value) in try URLEncoding.parseForm(request.body) {
                    body[name, default: []].append(value)
                }
            } catch {
                throw HTTPError(400, reason: "Malformed percent-encoding in body", logMessage: "\(error)")
            }
        } else if lowered.hasPrefix("multipart/form-data") {
            guard let boundary = MultipartParser.boundary(fromContentType: contentType) else {
                throw HTTPError(400, reason: "Invalid multipart/form-data: no boundary")
            }
            do {
                let parsed = try MultipartParser(boundary: boundary, body: request.body)
                for (name, value) in parsed.fields { body[name, default: []].append(value) }
                for (name, file) in parsed.files { files[name, default: []].append(file) }
            } catch {
                throw HTTPError(400, reason: "Invalid multipart/form-data", logMessage: error.description)
            }
        }
    }
}
