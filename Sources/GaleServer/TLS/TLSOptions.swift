/// How the server speaks TLS (HTTPS), and HTTP/2 over it. Tornado: the `ssl_options` of
/// `HTTPServer` and `app.listen`, a dictionary for Python's `ssl.SSLContext`
/// (`{"certfile": ..., "keyfile": ..., "ca_certs": ..., "cert_reqs": ssl.CERT_REQUIRED}`).
///
/// ```swift
/// var configuration = HTTPServer.Configuration()
/// configuration.sslOptions = TLSOptions(certificateFile: "cert.pem", keyFile: "key.pem")
/// try app.listen(8443, configuration: configuration)
/// ```
///
/// The files are read when the server starts (`start()`, `listen`), and a file that cannot be
/// read or used stops it with an `HTTPServerError` naming the file. With `start(n)`, each
/// worker reads them again as it starts, as a worker re-reads its whole configuration.
public struct TLSOptions: Sendable {
    /// Whether clients must present a certificate. Tornado: `cert_reqs`
    /// (`ssl.CERT_NONE`, `ssl.CERT_OPTIONAL`, `ssl.CERT_REQUIRED`).
    public enum ClientCertificates: Sendable {
        /// None is asked for. Python: `CERT_NONE`.
        case none
        /// One is asked for; a client may go without, but one that is presented must verify
        /// against `caFile`. Python: `CERT_OPTIONAL`.
        case optional
        /// Connections without a certificate that verifies against `caFile` are refused in the
        /// TLS handshake. Python: `CERT_REQUIRED`.
        case required
    }

    /// The server's certificate in PEM, followed by any intermediate certificates. Tornado:
    /// `certfile`.
    public var certificateFile: String
    /// The private key in PEM; `nil` when it is in `certificateFile` too (as Python's
    /// `load_cert_chain(certfile, keyfile=None)` allows). Tornado: `keyfile`.
    public var keyFile: String?
    /// The certificate authorities (PEM) that client certificates must chain to; needed when
    /// `clientCertificates` is not `.none`. Tornado: `ca_certs`.
    public var caFile: String?
    /// Whether to ask clients for certificates. Tornado: `cert_reqs` (default `CERT_NONE`).
    /// The one presented reaches handlers as `getSSLCertificate()`.
    public var clientCertificates: ClientCertificates
    /// Offer HTTP/2 in ALPN (`h2`, then `http/1.1`): clients that speak it get HTTP/2, with the
    /// same handlers; others get HTTP/1.1. Not in Tornado, which speaks HTTP/1 only.
    public var http2: Bool
    /// How long a client gets to complete the TLS handshake before the connection is closed
    /// (nginx's `ssl_handshake_timeout`, 60 s). Not in Tornado.
    public var handshakeTimeout: Duration

    /// Creates TLS options; only the certificate is required.
    public init(
        certificateFile: String,
        keyFile: String? = nil,
        caFile: String? = nil,
        clientCertificates: ClientCertificates = .none,
        http2: Bool = true,
        handshakeTimeout: Duration = .seconds(60)
    ) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.caFile = caFile
        self.clientCertificates = clientCertificates
        self.http2 = http2
        self.handshakeTimeout = handshakeTimeout
    }
}
