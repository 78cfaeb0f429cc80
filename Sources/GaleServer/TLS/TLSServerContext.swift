import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `TLSOptions` made ready to serve: the files read and checked once, at `start()`, into the
/// one BoringSSL context every connection of the server shares.
struct TLSServerContext: Sendable {
    let sslContext: NIOSSLContext
    let options: TLSOptions

    /// Reads the files `options` names; each failure names its file and what it was for.
    init(_ options: TLSOptions) throws(HTTPServerError) {
        self.options = options
        let certificateFile = options.certificateFile
        let keyFile = options.keyFile ?? certificateFile
        let certificates = try Self.load("certificate", certificateFile) {
            try NIOSSLCertificate.fromPEMFile(certificateFile)
        }
        guard !certificates.isEmpty else {
            throw .tlsFile(certificateFile, reason: "TLS certificate file \(certificateFile) holds no PEM certificate")
        }
        let key = try Self.load("private key", keyFile) { try NIOSSLPrivateKey(file: keyFile, format: .pem) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        // Python's default floor since 3.10, and every browser's.
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = options.http2 ? ["h2", "http/1.1"] : ["http/1.1"]
        switch options.clientCertificates {
        case .none:
            break
        case .optional, .required:
            guard let caFile = options.caFile else {
                throw .invalidConfiguration(
                    "TLSOptions.clientCertificates asks for client certificates but names no caFile to verify them")
            }
            let authorities = try Self.load("CA", caFile) { try NIOSSLCertificate.fromPEMFile(caFile) }
            guard !authorities.isEmpty else {
                throw .tlsFile(caFile, reason: "TLS CA file \(caFile) holds no PEM certificate")
            }
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification =
                options.clientCertificates == .required ? .noHostnameVerification : .optionalVerification
            // Tells browsers which certificates of theirs this server takes.
            configuration.sendCANameList = true
        }
        do {
            sslContext = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsFile(
                keyFile,
                reason: "TLS: cannot use the private key \(keyFile) with the certificate \(certificateFile) "
                    + "(does the key belong to it?): \(error)")
        }
    }

    /// Runs `read`, turning its failure into an error naming `path`: unreadable (with the
    /// system's reason) or not the PEM expected.
    private static func load<T>(_ role: String, _ path: String, _ read: () throws -> T) throws(HTTPServerError) -> T {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .tlsFile(path, reason: "cannot read the TLS \(role) file \(path): \(reason)")
        }
        close(descriptor)
        do {
            return try read()
        } catch {
            throw .tlsFile(path, reason: "TLS \(role) file \(path) is not a PEM \(role): \(error)")
        }
    }
}
