import Gale
import GaleServer
import GaleTesting
import NIOCore
import NIOHTTP2
import NIOPosix
import NIOSSL
import Synchronization
import Testing

/// An HTTP/2 connection with no stream open, from a client that keeps it (curl never does):
/// the idle timeout and shutdown end it with GOAWAY.
@Suite struct HTTP2ConnectionTests {
    /// Notes the GOAWAY frames the server sends.
    final class GoAwayRecorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTP2Frame
        let goAways = Mutex<[HTTP2StreamID]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .goAway(let last, _, _) = unwrapInboundIn(data).payload {
                goAways.withLock { $0.append(last) }
            }
        }
    }

    /// Opens an HTTP/2 connection over TLS and sends no request.
    func connect(port: Int, files: TLSFiles) async throws -> (any Channel, GoAwayRecorder) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(files.certificate)
        configuration.applicationProtocols = ["h2"]
        let context = try NIOSSLContext(configuration: configuration)
        let recorder = GoAwayRecorder()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(try NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    _ = try pipeline.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: .init(), streamConfiguration: .init()
                    ) { $0.eventLoop.makeSucceededVoidFuture() }
                    try pipeline.addHandler(recorder)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return (channel, recorder)
    }

    /// Whether `channel` closes within `timeout`.
    func closes(_ channel: any Channel, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout.scaledForTests
        while channel.isActive && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !channel.isActive
    }

    @Test func anIdleConnectionGetsGoAwayAfterTheIdleTimeout() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key)
        ) { $0.idleConnectionTimeout = .milliseconds(300) }
        defer { server.stop() }
        let (channel, recorder) = try await connect(port: port, files: files)
        #expect(await closes(channel, within: .seconds(10)))
        #expect(recorder.goAways.withLock { $0 } == [HTTP2StreamID(0)])
    }

    @Test func shutdownEndsAnIdleConnectionPromptly() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key)
        ) { $0.shutdownGracePeriod = .seconds(60) }
        let (channel, recorder) = try await connect(port: port, files: files)
        // Let the connection settle (handshake, settings) before the server stops.
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        await server.shutdown()
        // Ended by the connection closing, not by the grace period (on an idle machine, in
        // well under a second: the PING comes straight back).
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(await closes(channel, within: .seconds(5)))
        // First "no new streams, but finish what is in flight", then "none past 0".
        #expect(recorder.goAways.withLock { $0 } == [.maxID, HTTP2StreamID(0)])
    }
}
