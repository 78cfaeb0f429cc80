import ServiceLifecycle

extension HTTPServer: Service {
    /// Serves until the service group shuts down gracefully (or this task is cancelled), then
    /// shuts down as `shutdown()` does: no new connections, in-flight requests finish. So a
    /// Gale server runs in a swift-service-lifecycle `ServiceGroup` beside a database pool or
    /// a metrics exporter, and stops with them. Bind first; `run` starts serving unless
    /// `start()` already has.
    ///
    /// ```swift
    /// let server = HTTPServer(app)
    /// try server.bind(8888)
    /// let group = ServiceGroup(services: [server, otherService], gracefulShutdownSignals: [.sigterm],
    ///                          logger: app.logger)
    /// try await group.run()
    /// ```
    public func run() async throws {
        if !isStarted { try start() }
        // Returns when the group shuts down gracefully; throws when the task is cancelled.
        try? await gracefulShutdown()
        await shutdown()
    }
}
