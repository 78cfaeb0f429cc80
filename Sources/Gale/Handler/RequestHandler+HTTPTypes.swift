import HTTPTypes

// swift-http-types' statuses and field names beside the `Int` and `String` forms:
// `try setStatus(.created)`, `try setHeader(.cacheControl, "no-store")`, `sendError(.notFound)`.

extension RequestHandler {
    /// The status that will be (or was) sent, with its reason phrase (a custom one from
    /// `setStatus(_:reason:)`, else the standard one). Tornado: `get_status()`; `status` is the
    /// code alone.
    public var responseStatus: HTTPResponse.Status {
        HTTPResponse.Status(code: status, reasonPhrase: reason ?? HTTPStatus.reasonPhrase(for: status))
    }

    /// Sets the response status. Tornado: `set_status(status_code, reason=None)`. The status's
    /// reason phrase is sent only when it is not the standard one for its code (so
    /// `HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")` sends its own,
    /// and `.notFound` sends Gale's standard phrase, as `setStatus(404)` does). Refuses codes
    /// outside 100-599 and phrases with control characters, as `setStatus(_:reason:)` does.
    public func setStatus(_ status: HTTPResponse.Status) throws(ProgrammerError) {
        try setStatus(status.code, reason: HTTPStatus.customReason(of: status))
    }

    /// Sets a response header, replacing any with the same name. Tornado: `set_header`.
    /// A value with a control character (CR or LF would split the response) is refused.
    public func setHeader(_ name: HTTPField.Name, _ value: String) throws(ProgrammerError) {
        try setHeader(name.rawName, value)
    }

    /// Sets a header to a number. Tornado: `set_header(name, int)`.
    public func setHeader(_ name: HTTPField.Name, _ value: Int) throws(ProgrammerError) {
        try setHeader(name.rawName, String(value))
    }

    /// Adds a response header, keeping existing ones with the same name. Tornado: `add_header`.
    public func addHeader(_ name: HTTPField.Name, _ value: String) throws(ProgrammerError) {
        try addHeader(name.rawName, value)
    }

    /// Removes a response header (even a default one such as `Server`). Tornado: `clear_header`.
    public func clearHeader(_ name: HTTPField.Name) {
        clearHeader(name.rawName)
    }

    /// Sends an error page for `status` (clearing anything not yet sent), then finishes.
    /// Tornado: `send_error(status_code, **kwargs)`. A custom reason phrase in `status` is
    /// used as `setStatus(_:)` uses it, unless `error` is an `HTTPError` with its own.
    public func sendError(_ status: HTTPResponse.Status, error: (any Error)? = nil) {
        sendError(status.code, reason: HTTPStatus.customReason(of: status), error: error)
    }
}

extension HTTPStatus {
    /// `status`'s reason phrase when it is not empty and not the standard one for its code
    /// (swift-http-types' standard phrases are RFC 9110's, as Gale's are); `nil` otherwise.
    static func customReason(of status: HTTPResponse.Status) -> String? {
        let phrase = status.reasonPhrase
        return phrase.isEmpty || phrase == reasonPhrase(for: status.code) ? nil : phrase
    }
}
