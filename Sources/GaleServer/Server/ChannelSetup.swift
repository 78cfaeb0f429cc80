import Gale
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import NIOTLS

/// Builds the pipeline of each accepted connection: plain HTTP/1.1, or TLS and then HTTP/1.1
/// or HTTP/2 as the client chose in ALPN. Whatever the protocol, every request ends in an
/// `HTTPChannelHandler`: one per connection with HTTP/1.1, one per stream with HTTP/2.
///
/// ```
/// plain:     HTTP/1 codec ─ pipelining ─ HTTPChannelHandler
/// TLS h1:    TLS ─ FileRegionReader ─ HTTP/1 codec ─ pipelining ─ HTTPChannelHandler
/// TLS h2:    TLS ─ FileRegionReader ─ HTTP/2 ─ HTTP2ConnectionHandler
///              each stream: HTTP/2-to-HTTP/1 codec ─ HTTPChannelHandler
/// ```
/// A plain connection's pipeline has nothing of TLS or HTTP/2 in it.
///
/// One per server, and every connection's handler refers to it for what they all share.
final class ChannelSetup: Sendable {
    let application: Application
    let configuration: HTTPServer.Configuration
    let proxies: TrustedProxies
    let registry: ConnectionRegistry
    let tls: TLSServerContext?
    /// `Settings.compressResponse`, read once for the server.
    let compressesResponses: Bool
    private let limits: NIOHTTPDecoderLimitConfiguration
    /// The limits and timeouts each connection's state machine starts with.
    let connectionRules: HTTPConnectionStateMachine.Configuration
    /// Counts open connections against `maxConnections`.
    let admission: ConnectionAdmission

    init(
        application: Application, configuration: HTTPServer.Configuration, proxies: TrustedProxies,
        registry: ConnectionRegistry, tls: TLSServerContext?
    ) {
        self.application = application
        self.configuration = configuration
        self.proxies = proxies
        self.registry = registry
        self.tls = tls
        compressesResponses = application.settings.compressResponse
        admission = ConnectionAdmission(limit: configuration.maxConnections, logger: application.logger)
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = configuration.maxHeaderSize
        limits.maxHeaderListSize = configuration.maxHeaderSize
        self.limits = limits
        connectionRules = .init(
            maxBodySize: configuration.maxBodySize,
            idleTimeout: HTTPChannelHandler.usable(configuration.idleConnectionTimeout),
            bodyTimeout: HTTPChannelHandler.usable(configuration.bodyTimeout),
            noKeepAlive: configuration.noKeepAlive,
            headerTimeout: HTTPChannelHandler.usable(configuration.headerTimeout))
    }

    /// Sets up a newly accepted connection; past `maxConnections`, closes it instead.
    func configure(_ channel: any Channel) throws {
        guard admission.admit(channel) else {
            channel.close(promise: nil)
            return
        }
        if let tls {
            try configureTLS(channel, tls)
        } else {
            try configureHTTP1(channel, session: nil)
        }
    }

    /// HTTP/1.1: NIO's request decoder and pipelining assistance, Gale's response encoder,
    /// then Gale's handler. The pipeline `configureHTTPServerPipeline` would make, with NIO's
    /// `HTTPResponseEncoder` replaced by `HTTP1ResponseEncoder` (the same bytes, a cheaper head),
    /// and without NIO's check of every outgoing header: the core refuses unsafe header names
    /// and values when they are set (`setHeader` and friends), so it would find nothing.
    private func configureHTTP1(_ channel: any Channel, session: TLSSession?) throws {
        let pipeline = channel.pipeline.syncOperations
        let encoder = HTTP1ResponseEncoder()
        try pipeline.addHandlers([
            encoder,
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits)),
            HTTPServerPipelineHandler(),
            HTTPChannelHandler(setup: self, tls: session, encoder: encoder),
        ])
    }

    /// TLS first; once the handshake is done, ALPN's choice decides the rest.
    private func configureTLS(_ channel: any Channel, _ tls: TLSServerContext) throws {
        // Registered from the start, so a shutdown waits for a handshake in progress; the
        // HTTP side registers the same channel again when it joins.
        let registry = self.registry
        _ = registry.add(channel)
        channel.closeFuture.whenComplete { _ in registry.remove(channel) }
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(NIOSSLServerHandler(context: tls.sslContext))
        try pipeline.addHandler(FileRegionReader())
        try pipeline.addHandler(
            TLSHandshakeHandler(timeout: tls.options.handshakeTimeout, logger: application.accessLogger))
        let setup = self
        try pipeline.addHandler(
            ApplicationProtocolNegotiationHandler { result, channel in
                channel.eventLoop.makeCompletedFuture {
                    let session = TLSSession(channel: channel)
                    switch result {
                    case .negotiated("h2"):
                        try setup.configureHTTP2(channel, session: session)
                    case .negotiated("http/1.1"), .fallback:
                        try setup.configureHTTP1(channel, session: session)
                    case .negotiated:
                        // Only what the server offered can be chosen; anything else is a broken client.
                        channel.close(promise: nil)
                    }
                }
            })
    }

    /// HTTP/2: NIO's connection handler and stream multiplexer; each stream turned into
    /// HTTP/1-style parts for its own `HTTPChannelHandler`.
    private func configureHTTP2(_ channel: any Channel, session: TLSSession) throws {
        let connection = HTTP2ConnectionHandler(
            registry: registry, idleTimeout: HTTPChannelHandler.usable(configuration.idleConnectionTimeout),
            logger: application.accessLogger)
        var settings = NIOHTTP2Handler.ConnectionConfiguration()
        settings.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
            HTTP2Setting(parameter: .maxHeaderListSize, value: configuration.maxHeaderSize),
        ]
        let setup = self
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: settings, streamConfiguration: .init(),
            streamDelegate: HTTP2ConnectionHandler.StreamDelegate(
                handler: NIOLoopBound(connection, eventLoop: channel.eventLoop))
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                let pipeline = stream.pipeline.syncOperations
                try pipeline.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                try pipeline.addHandler(HTTPChannelHandler(setup: setup, tls: session, encoder: nil))
            }
        }
        try channel.pipeline.syncOperations.addHandler(connection)
    }
}
