import Gale
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOSSL
import NIOTLS
import Testing

@testable import GaleServer

/// What each accepted connection's pipeline holds: a plain one has nothing of TLS or HTTP/2,
/// so plain HTTP pays nothing for them (and keeps sendfile).
@Suite struct ChannelSetupTests {
    func setup(tls: TLSServerContext?) throws -> ChannelSetup {
        ChannelSetup(
            application: try makeServerTestApp(), configuration: HTTPServer.Configuration(),
            proxies: try TrustedProxies([]), registry: ConnectionRegistry(), tls: tls)
    }

    func has<Handler: ChannelHandler>(_ channel: EmbeddedChannel, _ type: Handler.Type) -> Bool {
        (try? channel.pipeline.syncOperations.handler(type: type)) != nil
    }

    @Test func aPlainConnectionHasNothingOfTLSOrHTTP2() throws {
        let channel = EmbeddedChannel()
        try setup(tls: nil).configure(channel)
        #expect(has(channel, HTTPServerPipelineHandler.self))
        #expect(has(channel, HTTPChannelHandler.self))
        #expect(!has(channel, NIOSSLServerHandler.self))
        #expect(!has(channel, FileRegionReader.self))
        #expect(!has(channel, TLSHandshakeHandler.self))
        #expect(!has(channel, ApplicationProtocolNegotiationHandler.self))
        _ = try? channel.finish()
    }

    @Test func aTLSConnectionWaitsForALPNBeforeChoosingItsHTTP() async throws {
        let files = try await TLSFiles.make()
        let context = try TLSServerContext(TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        let channel = EmbeddedChannel()
        try setup(tls: context).configure(channel)
        #expect(has(channel, NIOSSLServerHandler.self))
        #expect(has(channel, FileRegionReader.self))
        #expect(has(channel, TLSHandshakeHandler.self))
        #expect(has(channel, ApplicationProtocolNegotiationHandler.self))
        // The HTTP side joins once the handshake has said which protocol.
        #expect(!has(channel, HTTPChannelHandler.self))
        _ = try? channel.finish()
    }
}
