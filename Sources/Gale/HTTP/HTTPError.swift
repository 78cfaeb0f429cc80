/// An error that ends a request with a given HTTP status.
///
/// Tornado: `tornado.web.HTTPError(status_code, log_message, *args, reason=...)`. Throw it
/// from a handler method; the handler's `writeError` renders the page. `logMessage` goes to
/// the log only and is never shown to the client.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code, e.g. 404.
    public var status: Int
    /// The reason phrase for the status line; the standard phrase when `nil`.
    public var reason: String?
    /// A message for the log (not sent to the client).
    public var logMessage: String?
    /// Extra headers to send with the error response (for example `Allow` on a 405).
    public var headers: HTTPHeaders

    /// Creates an error for `status`, with an optional custom reason and log message.
    public init(_ status: Int, reason: String? = nil, logMessage: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.reason = reason
        self.logMessage = logMessage
        self.headers = headers
    }

    public var description: String {
        var text = "HTTP \(status): \(reason ?? HTTPStatus.reasonPhrase(for: status))"
        if let logMessage { text += " (\(logMessage))" }
        return text
    }
}

/// A mistake in how the program uses the framework, as opposed to bad client input.
///
/// Thrown, for example, when a header value passed to `setHeader` holds a CR or LF (which
/// would split the response) or when `write` is called after `finish`. The request fails
/// with 500 and the message goes to the log.
public struct ProgrammerError: Error, Sendable, CustomStringConvertible {
    /// What was done wrong and how to fix it.
    public var message: String

    /// Creates an error with a message for the log.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
