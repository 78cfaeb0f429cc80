import HTTPTypes

/// An error that ends a request with a given HTTP status.
///
/// Tornado: `tornado.web.HTTPError(status_code, log_message, *args, reason=...)`. Throw it
/// from a handler method; the handler's `writeError` renders the page. `logMessage` goes to
/// the log only and is never shown to the client.
///
/// It records where it was made (`location`, from `#fileID` and `#line`) and, while the request
/// runs with `serveTraceback` on, the stack there (`trace`), for the error page; Tornado's
/// exceptions carry their traceback instead.
public struct HTTPError: LocatedError, Sendable, CustomStringConvertible {
    /// The HTTP status code, e.g. 404.
    public var status: Int
    /// The reason phrase for the status line; the standard phrase when `nil`.
    public var reason: String?
    /// A message for the log (not sent to the client).
    public var logMessage: String?
    /// Extra headers to send with the error response (for example `Allow` on a 405).
    public var headers: HTTPHeaders
    /// Where the error was made: by default, where `init` was called.
    public var location: ErrorLocation
    /// The stack where the error was made; `nil` unless `ErrorTrace.isCapturing` was on.
    public var trace: ErrorTrace?

    /// Creates an error for `status`, with an optional custom reason and log message. `fileID`
    /// and `line` default to the caller's: leave them out.
    public init(
        _ status: Int, reason: String? = nil, logMessage: String? = nil, headers: HTTPHeaders = [:],
        fileID: String = #fileID, line: Int = #line
    ) {
        self.status = status
        self.reason = reason
        self.logMessage = logMessage
        self.headers = headers
        self.location = ErrorLocation(fileID: fileID, line: line)
        self.trace = ErrorTrace.capture()
    }

    /// Creates an error for a swift-http-types status: `throw HTTPError(.notFound)`. The
    /// status's reason phrase is used when `reason` is `nil` and it is not the standard one
    /// for its code, as `RequestHandler.setStatus(_:)` does.
    public init(
        _ status: HTTPResponse.Status, reason: String? = nil, logMessage: String? = nil,
        headers: HTTPHeaders = [:], fileID: String = #fileID, line: Int = #line
    ) {
        self.init(
            status.code, reason: reason ?? HTTPStatus.customReason(of: status), logMessage: logMessage,
            headers: headers, fileID: fileID, line: line)
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
/// with 500 and the message goes to the log. Like `HTTPError`, it records where it was made
/// and, while tracing, the stack.
public struct ProgrammerError: LocatedError, Sendable, CustomStringConvertible {
    /// What was done wrong and how to fix it.
    public var message: String
    /// Where the error was made: by default, where `init` was called.
    public var location: ErrorLocation
    /// The stack where the error was made; `nil` unless `ErrorTrace.isCapturing` was on.
    public var trace: ErrorTrace?

    /// Creates an error with a message for the log. `fileID` and `line` default to the
    /// caller's: leave them out.
    public init(_ message: String, fileID: String = #fileID, line: Int = #line) {
        self.message = message
        self.location = ErrorLocation(fileID: fileID, line: line)
        self.trace = ErrorTrace.capture()
    }

    public var description: String { message }
}
