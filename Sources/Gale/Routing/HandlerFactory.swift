/// Creates a handler for one request and passes it its route's initializer arguments.
///
/// Used by routes and by `Settings.defaultHandler`, so the two can never differ in how a
/// handler comes to life.
public struct HandlerFactory: Sendable {
    /// The handler class this factory creates.
    public let handlerType: RequestHandler.Type
    private let make: @Sendable (Application, ServerRequest) throws -> RequestHandler

    /// For a `FallbackHandler`: the application its requests are handed to, when they are
    /// routed (`Application.route`), so no `FallbackHandler` is ever made.
    let fallback: Application?

    /// A factory for a handler without arguments; `setDefaultHeaders()` then `initialize()` run
    /// after creation.
    public init(_ handlerType: RequestHandler.Type) {
        self.handlerType = handlerType
        self.fallback = nil
        self.make = { application, request in
            let handler = handlerType.init(application: application, request: request)
            try handler.setDefaultHeaders()
            try handler.initialize()
            return handler
        }
    }

    /// A factory for a handler that takes arguments; `setDefaultHeaders()` then
    /// `initialize(arguments)` run after creation.
    public init<Handler: InitializableHandler>(_ handlerType: Handler.Type, _ arguments: Handler.InitializeArguments) {
        self.handlerType = handlerType
        self.fallback =
            handlerType is FallbackHandler.Type ? (arguments as? FallbackHandler.InitializeArguments)?.fallback : nil
        self.make = { application, request in
            let handler = handlerType.init(application: application, request: request)
            try handler.setDefaultHeaders()
            try handler.initialize(arguments)
            return handler
        }
    }

    /// Creates and initializes a handler for `request`.
    func makeHandler(application: Application, request: ServerRequest) throws -> RequestHandler {
        try make(application, request)
    }
}

/// A handler whose route passes it typed arguments, Tornado's `initialize(**kwargs)`.
///
/// ```swift
/// final class ProfileHandler: RequestHandler, InitializableHandler {
///     struct InitializeArguments: Sendable { var database: Database }
///     var database: Database?
///     func initialize(_ arguments: InitializeArguments) { database = arguments.database }
/// }
/// ```
public protocol InitializableHandler: RequestHandler {
    /// What the route passes, Tornado's `dict(...)` in the route tuple.
    associatedtype InitializeArguments: Sendable
    /// Receives the route's arguments, before `prepare`.
    func initialize(_ arguments: InitializeArguments) throws
}
