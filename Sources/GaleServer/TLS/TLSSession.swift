import Gale
import NIOCore
import NIOSSL

/// What a request learns from its TLS connection: that it is `https`, and the client's
/// certificate. Read once per connection, after the handshake; every request on it (every
/// stream, with HTTP/2) shares it, by reference: a plain connection's handler keeps 8 bytes
/// for it, not the 72 of the certificate's fields.
final class TLSSession: Sendable {
    /// The verified certificate the client presented, if it presented one.
    let clientCertificate: ClientCertificate?

    /// The session of `channel`, whose pipeline holds the TLS handler (a connection's own, not
    /// an HTTP/2 stream's). Runs on the channel's event loop.
    init(channel: any Channel) {
        let certificate = try? channel.pipeline.syncOperations.nioSSL_peerCertificate()
        clientCertificate = (try? certificate?.toDERBytes()).map { ClientCertificate(der: $0) }
    }
}
