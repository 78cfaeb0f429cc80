/// One route: a URL pattern, the handler class that serves it, the handler's initializer
/// arguments and an optional name for `reverseURL`.
///
/// Tornado: `tornado.web.URLSpec` / `url(pattern, handler, kwargs, name)`. The pattern is a
/// regular expression matched against the whole path (Tornado appends `$`); its groups are the
/// handler's `pathArgs`, or `pathKwargs` when the groups are named (`(?P<id>[0-9]+)`).
public struct URLSpec: Sendable {
    /// The pattern as written.
    public var pattern: String { compiled.source }
    /// The name given for `reverseURL`, if any.
    public let name: String?
    /// How handlers for this route are made.
    public let factory: HandlerFactory
    let compiled: RoutePattern

    /// A route to `handler`, which is created per request and then gets `initialize()`.
    public init(_ pattern: String, _ handler: RequestHandler.Type, name: String? = nil) throws {
        self.compiled = try RoutePattern(pattern)
        self.factory = HandlerFactory(handler)
        self.name = name
    }

    /// A route to `handler` with initializer arguments: Tornado's guide's
    /// `(r"/(apple-touch-icon\.png)", StaticFileHandler, dict(path=...))`.
    public init<Handler: InitializableHandler>(
        _ pattern: String,
        _ handler: Handler.Type,
        _ arguments: Handler.InitializeArguments,
        name: String? = nil
    ) throws {
        self.compiled = try RoutePattern(pattern)
        self.factory = HandlerFactory(handler, arguments)
        self.name = name
    }

    /// The URL for `arguments` filled into this route's groups. Tornado: `URLSpec.reverse`.
    public func reverse(_ arguments: [String]) throws(ReverseURLError) -> String {
        guard let template = compiled.reverseTemplate else {
            throw ReverseURLError("route \(pattern) is too complex to reverse")
        }
        guard arguments.count == compiled.groupCount else {
            throw ReverseURLError(
                "route \(pattern) takes \(compiled.groupCount) arguments, \(arguments.count) given")
        }
        var url = ""
        var next = arguments.makeIterator()
        for piece in template {
            switch piece {
            case .literal(let text): url += text
            case .group: url += URLEncoding.encode(next.next() ?? "", plus: false, keepSlash: true)
            }
        }
        return url
    }
}

/// `reverseURL` could not build a URL.
public struct ReverseURLError: LocatedError, Sendable, CustomStringConvertible {
    /// Why.
    public var description: String
    /// Where the error was made (inside Gale; `trace` leads back to the caller).
    public var location: ErrorLocation
    /// The stack where the error was made; `nil` unless `ErrorTrace.isCapturing` was on.
    public var trace: ErrorTrace?

    init(_ description: String, fileID: String = #fileID, line: Int = #line) {
        self.description = description
        self.location = ErrorLocation(fileID: fileID, line: line)
        self.trace = ErrorTrace.capture()
    }
}
