/// Thrown from a handler, ends the request normally: the response as it stands, with `body`
/// written first when given, is finished (if it was not already), with no error page, no
/// `writeError` and no error in the log. Tornado: `raise tornado.web.Finish()` /
/// `raise Finish(chunk)`.
///
/// ```swift
/// guard try currentUser != nil else {
///     try setStatus(401)
///     try setHeader("WWW-Authenticate", #"Basic realm="admin""#)
///     throw Finish()
/// }
/// ```
///
/// Unlike an `HTTPError`, it keeps the status, headers and output already set; it is the way to
/// end a request from deep inside helper code without a custom `writeError`. Thrown from
/// `initialize`, before the request runs, it is an error like any other (a 500), as in Tornado.
public struct Finish: Error, Sendable {
    /// Written before the response is finished; `nil` writes nothing. Tornado: `Finish(chunk)`.
    public var body: [UInt8]?

    /// Finishes the response as it stands. Tornado: `Finish()`.
    public init() {
        body = nil
    }

    /// Writes `text`, then finishes. Tornado: `Finish("text")`.
    public init(_ text: String) {
        body = Array(text.utf8)
    }

    /// Writes `bytes`, then finishes. Tornado: `Finish(b"bytes")`.
    public init(_ bytes: [UInt8]) {
        body = bytes
    }
}
