/// The certificate a client presented on a TLS connection, as the application sees it.
///
/// Tornado: what `request.get_ssl_certificate()` returns (Python's `SSLSocket.getpeercert()`):
/// `der` is its `binary_form=True`, and `subject`, `issuer` and `serialNumber` are read from
/// it. A plain value the transport fills in per connection, so the core knows no TLS library:
/// Gale's own server sets it on connections that presented a certificate its CA file
/// verified; plain HTTP, FastCGI and CGI leave it `nil`.
///
/// The names are written as RFC 4514 strings, most specific part first, as OpenSSL's
/// `-nameopt RFC2253` prints them: a client made with `-subj /O=Example/CN=alice` has the
/// subject `CN=alice,O=Example`.
public struct ClientCertificate: Sendable, Equatable {
    /// The certificate as sent, in DER (the bytes of the PEM file's base64 body).
    public var der: [UInt8]
    /// Who the certificate names, e.g. `CN=alice,O=Example`; empty when it cannot be read.
    public var subject: String
    /// Who signed it, in the same form.
    public var issuer: String
    /// The serial number in upper-case hex (as Python's `getpeercert()` gives it).
    public var serialNumber: String
    /// The subject's last common name (`CN`), the usual user name; `nil` when it has none.
    public var commonName: String?

    /// Reads the subject, issuer and serial number from a DER-encoded X.509 certificate.
    /// Fields that cannot be read are left empty (`nil` for `commonName`); `der` is kept whole.
    public init(der: [UInt8]) {
        self.der = der
        let fields = X509Fields(der: der)
        self.subject = fields?.subject.rfc4514 ?? ""
        self.issuer = fields?.issuer.rfc4514 ?? ""
        self.serialNumber = fields?.serialNumber ?? ""
        self.commonName = fields?.subject.last(ofType: "CN")
    }
}
