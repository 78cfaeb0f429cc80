/// An error that knows where it was made and, while a request is traced, the stack there.
///
/// Tornado has no such protocol: every Python exception carries its traceback, which
/// `write_error` prints when `serve_traceback` is on. Swift errors carry no stack, so the
/// error page can show where an error came from only when the error recorded it. Gale's own
/// errors (`HTTPError`, `ProgrammerError`, `UnavailableFeature`, `ReverseURLError`) adopt
/// this protocol; any error type may:
///
/// ```swift
/// struct QuotaExceeded: LocatedError {
///     var user: String
///     let location: ErrorLocation
///     let trace = ErrorTrace.capture()
///
///     init(user: String, fileID: String = #fileID, line: Int = #line) {
///         self.user = user
///         self.location = ErrorLocation(fileID: fileID, line: line)
///     }
/// }
/// ```
///
/// `ErrorTrace.capture()` costs nothing but a check unless the request runs with
/// `serveTraceback` on, so errors that are part of normal work (a 404) stay cheap.
public protocol LocatedError: Error {
    /// Where the error was made.
    var location: ErrorLocation { get }
    /// The stack where the error was made, when it was captured (see `ErrorTrace.capture()`).
    var trace: ErrorTrace? { get }
}

extension LocatedError {
    /// No stack, for errors that record only their location.
    public var trace: ErrorTrace? { nil }
}
