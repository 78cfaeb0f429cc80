/// What a handler needs from the runtime that serves it.
///
/// A handler class states its needs (`RequestHandler.requirements`); a transport states what
/// it offers. The synchronous gateways (FastCGI, CGI) offer none of these, so at start-up
/// they can name every route they cannot serve and why, instead of failing at request time
/// as Tornado's old WSGI adapter did. New runtime features join this set; no adapter changes.
public struct HandlerRequirements: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `async` handler methods (Tornado: coroutines).
    public static let coroutines = HandlerRequirements(rawValue: 1 << 0)
    /// The WebSocket protocol (Tornado: `WebSocketHandler`).
    public static let webSockets = HandlerRequirements(rawValue: 1 << 1)
    /// The async HTTP client (Tornado: `AsyncHTTPClient`, and the auth mixins built on it).
    public static let asyncHTTPClient = HandlerRequirements(rawValue: 1 << 2)

    /// The event loop's timers and callbacks (Tornado: `IOLoop.current().call_later`).
    public static let eventLoop = HandlerRequirements(rawValue: 1 << 3)

    /// A short reason for each requirement, for start-up errors.
    public var descriptions: [String] {
        var result: [String] = []
        if contains(.coroutines) { result.append("async handler methods (coroutines)") }
        if contains(.webSockets) { result.append("WebSockets") }
        if contains(.asyncHTTPClient) { result.append("the async HTTP client") }
        if contains(.eventLoop) { result.append("IOLoop timers and callbacks") }
        return result
    }
}
