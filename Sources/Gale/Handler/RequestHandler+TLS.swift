extension RequestHandler {
    /// The certificate the client presented on this TLS connection, or `nil` (plain HTTP,
    /// FastCGI, CGI, or no certificate asked for or given). Tornado:
    /// `self.request.get_ssl_certificate()`; `der` is its `binary_form=True`.
    ///
    /// ```swift
    /// guard let user = getSSLCertificate()?.commonName else { throw HTTPError(403) }
    /// ```
    public func getSSLCertificate() -> ClientCertificate? {
        request.clientCertificate
    }
}
