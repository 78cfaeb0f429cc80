import Logging

/// A request handler whose methods may be `async` (Tornado's coroutine handlers).
///
/// Tornado: a `RequestHandler` with `async def get(self)`. Swift has to know before calling a
/// method whether it may suspend, so coroutine handlers subclass this class. Plain
/// `RequestHandler`s run straight on the event loop and pay for no task.
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
/// Under Gale's server each request runs in a task the connection owns, and its code runs on
/// the connection's event loop, as a coroutine runs on Tornado's IOLoop: a handler's state needs
/// no locks, and blocking calls belong in `IOLoop.runInExecutor`. When the client leaves, or the
/// shutdown grace period ends, the task is cancelled (then `onConnectionClose()` runs).
/// `await flush()` returns once the client is reading again, so a streamed response never
/// piles up in memory. The synchronous gateways (FastCGI, CGI) refuse routes to these handlers
/// at start-up, because `requirements` says they need coroutines.
///
/// A method not overridden here falls back to the plain one, so a handler can mix both.
///
/// Subclassing notes, beside `RequestHandler`'s: the `async` forms of the methods below,
/// `onConnectionClose()`, and for streamed uploads `streamRequestBody` with `dataReceived(_:)`.
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

    /// Deliver the request body to `dataReceived(_:)` chunk by chunk as it arrives, instead of
    /// collecting it into `request.body` first; `prepare()` runs before the first chunk and the
    /// method after the last. Tornado: the `@stream_request_body` class decorator. With it, a
    /// large upload costs constant memory: the server reads no faster than `dataReceived`
    /// returns. Pair it with `maxBodySize` to allow more than the server's limit.
    open class var streamRequestBody: Bool { false }

    /// Receives the next chunk of a streamed request body (`streamRequestBody`). Tornado:
    /// `data_received(chunk)`. The default throws: a streaming handler must override it.
    open func dataReceived(_ chunk: [UInt8]) async throws {
        throw ProgrammerError("\(Self.self) streams its request body but does not override dataReceived(_:)")
    }

    /// Sends what has been written so far, and returns once the client has taken enough of it
    /// that more may be written: a streamed response waits for a slow reader instead of growing
    /// in memory. Tornado: `await self.flush()`. Throws `StreamClosedError` when the client has
    /// gone (the request's task is cancelled then too).
    public func flush() async throws {
        try checkWritable()
        guard let chunk = try nextChunk(isLast: false, file: nil) else { return }
        try await writer.send(chunk)
    }

    /// Where a streamed body comes from; the transport sets it before running the request.
    package var bodySource: (any RequestBodySource)?

    /// Runs the request with `await` at each step. Tornado: `_execute` as a coroutine. With
    /// `serveTraceback` on, errors made meanwhile capture their stack (`ErrorTrace`).
    func executeAsync() async {
        if instrumentStates != nil {
            await withInstruments { await executeTracingErrors() }
        } else {
            await executeTracingErrors()
        }
    }

    private func executeTracingErrors() async {
        if application.tracesErrors {
            await ErrorTrace.$isCapturing.withValue(true) { await executeSteps() }
        } else {
            await executeSteps()
        }
    }

    private func executeSteps() async {
        do {
            try checkMethodAndDecodeArguments()
            try await prepare()
            if !finished && Self.streamRequestBody { try await receiveBody() }
            if !finished, try passesSlashChecks(), try passesAuthentication() { try await callMethod() }
            if autoFinish && !finished { try finish() }
        } catch is StreamClosedError {
            // The client left: nothing can be sent, and it is not the server's error.
            application.logger.debug("\(requestSummary): client closed the connection")
        } catch is CancellationError where Task.isCancelled {
            application.logger.debug("\(requestSummary): cancelled (client gone or shutting down)")
        } catch {
            if application.tracesErrors, #available(macOS 15, *) {
                // The debug page reads the executable's debug information, a fraction of a
                // second: on the shared pool, not on the connection's event loop.
                await withTaskExecutorPreference(globalConcurrentExecutor) { handleRequestException(error) }
            } else {
                handleRequestException(error)
            }
        }
    }

    private func receiveBody() async throws {
        guard let source = bodySource else { return }
        while let chunk = try await source.next() {
            try await dataReceived(chunk)
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

/// Where a streamed request body's chunks come from: the transport's side of
/// `streamRequestBody`. Used from the request's own task only.
package protocol RequestBodySource: AnyObject {
    /// The next chunk, or `nil` once the body has ended. Throws `StreamClosedError` when the
    /// client left before the end.
    func next() async throws(StreamClosedError) -> [UInt8]?
}

/// A body that arrived whole, handed to a streaming handler as one chunk.
final class WholeBody: RequestBodySource {
    private var body: [UInt8]?

    init(_ body: [UInt8]) {
        self.body = body.isEmpty ? nil : body
    }

    func next() async throws(StreamClosedError) -> [UInt8]? {
        defer { body = nil }
        return body
    }
}
