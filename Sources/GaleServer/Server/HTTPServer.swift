import Gale
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Gale's HTTP/1.1 server on SwiftNIO.
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

    /// Opens a listening socket on `address:port` (port 0 picks a free port; address "" means
    /// every IPv4 interface). Connections wait in the backlog until `start`.
    /// Tornado: `HTTPServer.bind(port, address)`.
    public func bind(_ port: Int, address: String = "") throws {
        try application.checkStartup()
        let host = address.isEmpty ? "0.0.0.0" : address
        let channel: any Channel
        do {
            channel = try makeBootstrap().bind(host: host, port: port).wait()
        } catch {
            throw HTTPServerError.bindFailed(address: host, port: port, reason: "\(error)")
        }
        state.withLock { $0.listeners.append(channel) }
    }

    /// Opens a listening socket without blocking the calling task. See `bind(_:address:)`.
    public func bind(_ port: Int, address: String = "") async throws {
        try application.checkStartup()
        let host = address.isEmpty ? "0.0.0.0" : address
        let channel: any Channel
        do {
            channel = try await makeBootstrap().bind(host: host, port: port).get()
        } catch {
            throw HTTPServerError.bindFailed(address: host, port: port, reason: "\(error)")
        }
        state.withLock { $0.listeners.append(channel) }
    }

    /// Starts accepting connections on the bound sockets. Tornado: `HTTPServer.start(1)`.
    /// Running several processes (`start(0)`: one per CPU) is not supported yet and is
    /// refused with an error that says so.
    public func start(_ processes: Int = 1) throws {
        guard processes == 1 else { throw HTTPServerError.unsupportedProcessCount(processes) }
        let listeners = try state.withLock { state -> [any Channel] in
            guard !state.listeners.isEmpty else { throw HTTPServerError.notBound }
            guard !state.started else { throw HTTPServerError.alreadyStarted }
            state.started = true
            return state.listeners
        }
        for listener in listeners {
            listener.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        IOLoop.current.register(self)
    }

    /// `bind` then `start`. Tornado: `HTTPServer.listen(port, address)`.
    public func listen(_ port: Int, address: String = "") throws {
        try bind(port, address: address)
        try start()
    }

    /// The ports the server listens on (useful after binding port 0).
    public var ports: [Int] {
        state.withLock { $0.listeners.compactMap { $0.localAddress?.port } }
    }

    /// Stops accepting new connections; open ones go on. Tornado: `HTTPServer.stop()`.
    public func stop() {
        let listeners = state.withLock { state -> [any Channel] in
            defer { state.listeners = [] }
            return state.listeners
        }
        for listener in listeners { listener.close(promise: nil) }
    }

    /// Stops accepting, lets in-flight requests finish, closes idle connections, and returns
    /// when every connection is closed or `shutdownGracePeriod` has passed (then the rest are
    /// closed). Tornado: `HTTPServer.close_all_connections()` after `stop()`.
    public func shutdown() async {
        stop()
        IOLoop.current.unregister(self)
        // A connection accepted after this point is closed by its handler at once.
        for channel in registry.beginShutdown() {
            channel.pipeline.fireUserInboundEventTriggered(GracefulShutdownEvent())
        }
        // Past the grace period, whatever is still open is closed.
        let registry = self.registry
        let logger = application.logger
        let deadline = Task { [configuration] in
            try await Task.sleep(for: configuration.shutdownGracePeriod)
            let remaining = registry.channels
            logger.warning("shutdown grace period over: closing \(remaining.count) connections")
            for channel in remaining { channel.close(promise: nil) }
        }
        await registry.waitUntilEmpty()
        deadline.cancel()
    }

    private func makeBootstrap() -> ServerBootstrap {
        let application = self.application
        let configuration = self.configuration
        let registry = self.registry
        let limits = {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.maxHeaderSize
            limits.maxHeaderListSize = configuration.maxHeaderSize
            return limits
        }()
        return ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true,
                        withErrorHandling: false,
                        // The core refuses unsafe header names and values when they are set
                        // (`setHeader` and friends), so NIO's second check of every outgoing
                        // header (10% of a hello-world's CPU) would find nothing.
                        withOutboundHeaderValidation: false,
                        withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                        withDecoderLimitConfiguration: limits
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPChannelHandler(application: application, configuration: configuration, registry: registry)
                    )
                }
            }
    }
}
