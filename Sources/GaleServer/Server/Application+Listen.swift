import Gale
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Application {
    /// Starts an HTTP server for this application on `port`; serve with
    /// `IOLoop.current.start()`. Tornado: `app.listen(port, address="", **kwargs)`.
    ///
    /// ```swift
    /// let app = try Application([("/", MainHandler.self)])
    /// try app.listen(8888)
    /// IOLoop.current.start()
    /// ```
    @discardableResult
    public func listen(
        _ port: Int,
        address: String = "",
        configuration: HTTPServer.Configuration = HTTPServer.Configuration()
    ) throws -> HTTPServer {
        let server = HTTPServer(self, configuration: configuration)
        try server.listen(port, address: address)
        return server
    }

    /// Serves this application until the task is cancelled or the process gets SIGINT or
    /// SIGTERM, then shuts down gracefully and returns: the Swift-concurrency entry point.
    ///
    /// ```swift
    /// try await app.run(port: 8888)
    /// ```
    public func run(
        port: Int,
        address: String = "",
        configuration: HTTPServer.Configuration = HTTPServer.Configuration(),
        onReady: @Sendable (HTTPServer) -> Void = { _ in }
    ) async throws {
        let server = HTTPServer(self, configuration: configuration)
        try await server.bind(port, address: address)
        try server.start()
        onReady(server)
        let stopped = AsyncStream<Void>.makeStream()
        #if canImport(Glibc) || canImport(Darwin)
            let watcher = SignalWatcher(signals: [SIGINT, SIGTERM]) { stopped.continuation.finish() }
            defer { watcher.cancel() }
        #endif
        await withTaskCancellationHandler {
            for await _ in stopped.stream {}
        } onCancel: {
            stopped.continuation.finish()
        }
        logger.info("shutting down")
        await server.shutdown()
    }
}
