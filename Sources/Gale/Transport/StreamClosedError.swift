/// The client went away: the response (or the WebSocket) can no longer be written to, and the
/// request body will not arrive in full. Tornado: `tornado.iostream.StreamClosedError`.
///
/// An async handler sees it from `await flush()`, from reading a streamed body, and from
/// `writeMessage`; letting it propagate is fine: Gale logs nothing for it, since a client
/// leaving is not a server error.
public struct StreamClosedError: Error, Sendable, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    public var description: String { "the client closed the connection" }
}
