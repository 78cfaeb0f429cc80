import Gale
import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Gale's HTTP server on SwiftNIO: HTTP/1.1, and with `sslOptions` HTTPS, where clients that
/// offer HTTP/2 in ALPN get it.
///
/// Tornado: `tornado.httpserver.HTTPServer`. The same three steps: `bind` the sockets, `start`
/// serving, and (through `IOLoop.current.start()` or `shutdown()`) stop. `listen` does the
/// first two at once, as `app.listen` does.
///
/// ```swift
/// let server = HTTPServer(app, xheaders: true)
/// try server.bind(8888, address: "127.0.0.1")
/// try server.start()
/// IOLoop.current.start()
/// ```
public final class HTTPServer: Sendable {
    /// The application served.
    public let application: Application
    /// How connections are treated.
    public let configuration: Configuration
    private let group: any EventLoopGroup
    private let registry = ConnectionRegistry()
    private let state = Mutex(State())

    private struct State {
        /// Bound and listening, not yet serving (`start` hands them to NIO or to workers).
        var sockets: [ListeningSocket] = []
        var listeners: [any Channel] = []
        var started = false
    }

    /// Creates a server for `application` on `group` (NIO's shared event loops by default:
    /// one thread per core).
    public init(
        _ application: Application,
        configuration: Configuration = Configuration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.application = application
        self.configuration = configuration
        self.group = group
        application.compileRoutes()
    }

    /// Creates a server; `xheaders` trusts a load balancer's `X-Real-Ip` and `X-Scheme`.
    /// Tornado: `HTTPServer(app, xheaders=True)`.
    public convenience init(_ application: Application, xheaders: Bool) {
        self.init(application, configuration: Configuration(xheaders: xheaders))
    }

    /// Opens a listening socket on `address:port`: port 0 picks a free port; address "" means
    /// every interface, IPv6 and IPv4 both. Connections wait in the backlog until `start`.
    /// `reusePort` sets `SO_REUSEPORT`, so several processes can bind the same port. Tornado:
    /// `HTTPServer.bind(port, address, reuse_port=False)`.
    ///
    /// Made with plain system calls and no event loop, so `start(n)` can hand the socket to
    /// worker processes. In a worker, or under systemd's socket activation, `bind` takes the
    /// socket this process was given instead of opening one.
    public func bind(_ port: Int, address: String = "", reusePort: Bool = false) throws {
        try bindNow(port, address: address, reusePort: reusePort)
    }

    private func bindNow(_ port: Int, address: String, reusePort: Bool) throws {
        try addSocket { () throws(HTTPServerError) in
            try .tcp(host: address, port: port, reusePort: reusePort, backlog: 1024)
        }
    }

    /// Adds the next socket this process was handed (a parent's, systemd's), else `open()`'s.
    private func addSocket(_ open: () throws(HTTPServerError) -> ListeningSocket) throws {
        try application.checkStartup()
        let socket =
            try InheritedSockets.take().map { descriptor throws(HTTPServerError) in
                try ListeningSocket.inherited(descriptor)
            } ?? open()
        state.withLock { $0.sockets.append(socket) }
    }

    /// Opens a listening socket. See `bind(_:address:reusePort:)`.
    public func bind(_ port: Int, address: String = "", reusePort: Bool = false) async throws {
        try bindNow(port, address: address, reusePort: reusePort)
    }

    /// Opens a listening Unix socket at `path` (a stale socket file there is replaced), for a
    /// proxy on the same machine: nginx's `proxy_pass http://unix:/path:`. Tornado:
    /// `bind_unix_socket`.
    public func bindUnixSocket(_ path: String) throws {
        try addSocket { () throws(HTTPServerError) in try .unix(path: path, backlog: 1024) }
    }

    /// Starts serving on the bound sockets. Tornado: `HTTPServer.start(num_processes=1)`.
    ///
    /// With `processes` other than 1 (0: one per CPU), this process becomes the supervising
    /// parent of that many workers and never returns: it exits when they have all stopped
    /// (see `ProcessSupervisor`). Each worker runs this program again from the start with the
    /// sockets inherited, so `bind` adopts them and `start` serves, with `ServerProcess.taskID`
    /// set: code before `start` runs again in every worker (in Tornado it runs once, before
    /// the fork). Refused, with the reason, in debug mode or with autoreload, for a Unix socket or a
    /// socket-activated server, and when `IOLoop.current` already has work scheduled, which the
    /// parent would run too.
    public func start(_ processes: Int = 1, maxRestarts: Int = 100) throws {
        let sockets = try state.withLock { state -> [ListeningSocket] in
            guard !state.sockets.isEmpty else { throw HTTPServerError.notBound }
            guard !state.started else { throw HTTPServerError.alreadyStarted }
            return state.sockets
        }
        // Checked here, so a parent refuses a bad value (or TLS file) before it starts any worker.
        let proxies = try TrustedProxies(configuration.trustedDownstream)
        let tls = try configuration.sslOptions.map { options throws(HTTPServerError) in try TLSServerContext(options) }
        if processes != 1, WorkerRole.current == nil {
            try checkProcesses(processes)
            state.withLock { $0.started = true }
            let count = processes == 0 ? ServerProcess.cpuCount : processes
            // Socket by socket, one per worker; then worker by worker, its sockets.
            let split = try sockets.map { socket throws(HTTPServerError) in try socket.split(into: count, backlog: 1024)
            }
            let perWorker = (0..<count).map { task in split.map { $0[task] } }
            let supervisor = try ProcessSupervisor(
                sockets: perWorker, maxRestarts: maxRestarts, logger: application.logger)
            exit(supervisor.run())
        }
        let bootstrap = makeBootstrap(proxies: proxies, tls: tls)
        var listeners: [any Channel] = []
        for socket in sockets {
            do {
                listeners.append(try bootstrap.withBoundSocket(socket.descriptor).wait())
            } catch {
                for listener in listeners { listener.close(promise: nil) }
                // NIO's IOError reads "...: Address already in use) (errno: 98)"; the errno's text reads plainly.
                let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
                throw HTTPServerError.bindFailed(address: "\(socket.address)", port: 0, reason: reason)
            }
        }
        state.withLock { state in
            state.sockets = []
            state.listeners = listeners
            state.started = true
        }
        for listener in listeners {
            listener.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        IOLoop.current.register(self)
        StatisticsReporter.install(application: application)
        if let worker = WorkerRole.current {
            worker.watchParent()
            worker.report("ready")
        }
    }

    private func checkProcesses(_ processes: Int) throws(HTTPServerError) {
        guard processes >= 0 else {
            throw .processesRefused("HTTPServer.start(\(processes)): the number of processes cannot be negative")
        }
        let settings = application.settings
        if settings.debug {
            throw .processesRefused(
                "HTTPServer.start(\(processes)): debug mode runs one process (each worker would reload "
                    + "templates and report errors on its own); use start(1) while developing, or turn debug off")
        }
        if settings.effectiveAutoreload {
            throw .processesRefused(
                "HTTPServer.start(\(processes)): autoreload runs one process (it restarts that process in place "
                    + "when a file changes); use start(1) with autoreload, or turn autoreload off")
        }
        if InheritedSockets.given {
            throw .processesRefused(
                "HTTPServer.start(\(processes)): a socket-activated server (systemd) runs one process; run one "
                    + "service instance per CPU instead (a templated unit, ports with reusePort)")
        }
        if IOLoop.current.hasScheduledWork {
            throw .processesRefused(
                "HTTPServer.start(\(processes)): IOLoop.current already has callbacks scheduled, which the "
                    + "supervising parent would run as well as every worker; schedule them after start()")
        }
    }

    /// `bind` then `start`. Tornado: `HTTPServer.listen(port, address)`.
    public func listen(_ port: Int, address: String = "") throws {
        try bind(port, address: address)
        try start()
    }

    /// Whether `start` has run.
    public var isStarted: Bool { state.withLock { $0.started } }

    /// The ports the server listens on (useful after binding port 0).
    public var ports: [Int] {
        state.withLock { state in
            state.sockets.compactMap(\.port) + state.listeners.compactMap { $0.localAddress?.port }
        }
    }

    /// Stops accepting new connections; open ones go on. Tornado: `HTTPServer.stop()`.
    public func stop() {
        let (sockets, listeners) = state.withLock { state -> ([ListeningSocket], [any Channel]) in
            defer {
                state.sockets = []
                state.listeners = []
            }
            return (state.sockets, state.listeners)
        }
        for socket in sockets { close(socket.descriptor) }
        for listener in listeners { listener.close(promise: nil) }
    }

    /// Stops accepting, lets in-flight requests finish, closes idle connections, and returns
    /// when every connection is closed or `shutdownGracePeriod` has passed (then the rest are
    /// closed). Tornado: `HTTPServer.close_all_connections()` after `stop()`.
    public func shutdown() async {
        let listeners = state.withLock { $0.listeners }
        // Stop accepting before closing: NIO closes a connection it accepted if its listener
        // is no longer active by the time the connection is set up (a hop to the connection's
        // loop and back), and that connection's request then gets a reset. With reads off, the
        // listener accepts nothing more; the rounds let what it accepted finish its set-up
        // while it is still open; what is left in the kernel's queue waits there for whoever
        // shares the socket (a worker's replacement) or is refused when it closes.
        for listener in listeners { try? await listener.setOption(ChannelOptions.autoRead, value: false).get() }
        await settleLoops()
        stop()
        IOLoop.current.unregister(self)
        // A connection that registers after this point treats itself the same way.
        for channel in registry.beginShutdown() {
            channel.pipeline.fireUserInboundEventTriggered(GracefulShutdownEvent())
        }
        for listener in listeners { try? await listener.closeFuture.get() }
        // A connection accepted just before the listeners closed may still be registering: NIO
        // sets a child channel up on its own loop, hops back to the listener's, then registers
        // it on its own loop again. Rounds of a no-op on every loop let each reach the registry.
        await settleLoops()
        // A worker that stops accepting lets its parent start its replacement at once.
        WorkerRole.current?.report("draining")
        // Past the grace period, whatever is still open is closed.
        let registry = self.registry
        let logger = application.logger
        let deadline = Task { [configuration] in
            try await Task.sleep(for: configuration.shutdownGracePeriod)
            let remaining = registry.channels
            logger.warning("shutdown grace period over: closing \(remaining.count) connections")
            for channel in remaining { channel.close(promise: nil) }
        }
        // Empty, and still empty once the loops have run what was queued: no accepted client is
        // left behind when the process ends.
        repeat {
            await registry.waitUntilEmpty()
            await settleLoops()
        } while !registry.channels.isEmpty
        deadline.cancel()
    }

    /// Lets every event loop run what was queued on it, three times over (a hop there and back).
    private func settleLoops() async {
        for _ in 0..<3 {
            for loop in group.makeIterator() { try? await loop.submit {}.get() }
        }
    }

    private func makeBootstrap(proxies: TrustedProxies, tls: TLSServerContext?) -> ServerBootstrap {
        let setup = ChannelSetup(
            application: application, configuration: configuration, proxies: proxies, registry: registry, tls: tls)
        let logger = application.logger
        return ServerBootstrap(group: group)
            // On EMFILE (out of file descriptors) the listener stays readable and the loop would
            // call accept again at once, at 100% CPU: this pauses accepting for a second after
            // such an error; what waits in the backlog is accepted after it.
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(logger: logger))
                }
            }
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try setup.configure(channel) }
            }
    }
}
