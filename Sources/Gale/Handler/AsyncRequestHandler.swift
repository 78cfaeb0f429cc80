/// A request handler whose methods may be `async` (Tornado's coroutine handlers).
///
/// Tornado: a `RequestHandler` with `async def get(self)`. Swift has to know before calling a
/// method whether it may suspend, so coroutine handlers subclass this class. Each request to
/// it runs in its own `Task`; plain `RequestHandler`s run directly on the event loop and pay
/// for no task hop. The synchronous gateways (FastCGI, CGI) refuse routes to these handlers at
/// start-up, because `requirements` says they need coroutines.
///
/// ```swift
/// final class SlowHandler: AsyncRequestHandler {
///     override func get() async throws {
///         try await Task.sleep(for: .milliseconds(10))
///         try write("done")
///     }
/// }
/// ```
///
/// A method not overridden here falls back to the plain one, so a handler can mix both.
open class AsyncRequestHandler: RequestHandler {
    /// Called before the method; may suspend. Defaults to the plain `prepare()`.
    open func prepare() async throws { try (self as RequestHandler).prepare() }
    /// Answers GET; may suspend. Defaults to the plain `get()` (405 unless overridden).
    open func get() async throws { try (self as RequestHandler).get() }
    /// Answers HEAD; may suspend.
    open func head() async throws { try (self as RequestHandler).head() }
    /// Answers POST; may suspend.
    open func post() async throws { try (self as RequestHandler).post() }
    /// Answers PUT; may suspend.
    open func put() async throws { try (self as RequestHandler).put() }
    /// Answers PATCH; may suspend.
    open func patch() async throws { try (self as RequestHandler).patch() }
    /// Answers DELETE; may suspend.
    open func delete() async throws { try (self as RequestHandler).delete() }
    /// Answers OPTIONS; may suspend.
    open func options() async throws { try (self as RequestHandler).options() }

    override open class var requirements: HandlerRequirements { [.coroutines] }

    /// Runs the request with `await` at each step. Tornado: `_execute` as a coroutine.
    func executeAsync() async {
        do {
            try checkMethodAndDecodeArguments()
            try await prepare()
            if !finished, try passesAuthentication() { try await callMethod() }
            if autoFinish && !finished { try finish() }
        } catch {
            handleRequestException(error)
        }
    }

    private func callMethod() async throws {
        switch request.method {
        case "GET": try await get()
        case "HEAD": try await head()
        case "POST": try await post()
        case "PUT": try await put()
        case "PATCH": try await patch()
        case "DELETE": try await delete()
        case "OPTIONS": try await options()
        default: throw methodNotAllowed()
        }
    }
}
