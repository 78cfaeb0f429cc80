import Gale
import NIOCore
import NIOSSL

/// What a request learns from its TLS connection: that it is `https`, and the client's
/// certificate. Read once per connection, after the handshake; every request on it (every
/// stream, with HTTP/2) shares it.
struct TLSSession: Sendable {
    /// The verified certificate the client presented, if it presented one.
    var clientCertificate: ClientCertificate?

    /// The session of `channel`, whose pipeline holds the TLS handler (a connection's own, not
    /// an HTTP/2 stream's). Runs on the channel's event loop.
    init(channel: any Channel) {
        let certificate = try? channel.pipeline.syncOperations.nioSSL_peerCertificate()
        clientCertificate = (try? certificate?.toDERBytes()).map { ClientCertificate(der: $0) }
    }
}
