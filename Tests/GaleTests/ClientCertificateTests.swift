import Foundation
import Gale
import GaleTesting
import Testing

/// `ClientCertificate` reads its names from DER as OpenSSL prints them (`-nameopt RFC2253`).
@Suite struct ClientCertificateTests {
    /// Makes a self-signed certificate for `subject` and returns its DER and what openssl says
    /// of it: the RFC 2253 subject and the serial.
    func certificate(subject: String, serial: String = "0x0102") async throws -> (
        der: [UInt8], subject: String, serial: String
    ) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pem = directory.path + "/cert.pem"
        try await run(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-utf8",
            "-subj", subject, "-set_serial", serial, "-days", "1", "-keyout", directory.path + "/key.pem", "-out", pem)
        try await run("x509", "-in", pem, "-outform", "DER", "-out", directory.path + "/cert.der")
        let der = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + "/cert.der")))
        let printed = try await run("x509", "-in", pem, "-noout", "-subject", "-serial", "-nameopt", "RFC2253,-esc_msb")
        let lines = printed.split(separator: "\n")
        let name = lines.first { $0.hasPrefix("subject=") }?.dropFirst("subject=".count) ?? ""
        let number = lines.first { $0.hasPrefix("serial=") }?.dropFirst("serial=".count) ?? ""
        return (der, String(name), String(number))
    }

    @discardableResult
    func run(_ arguments: String...) async throws -> String {
        let openssl = try await ChildProcess("/usr/bin/openssl", arguments).run()
        try #require(openssl.status == 0, "openssl \(arguments): \(openssl.errorText)")
        return openssl.text
    }

    @Test func namesAndSerialMatchOpenSSL() async throws {
        let made = try await certificate(subject: "/C=ES/O=Gale Tests/CN=alice", serial: "0x00F1E2")
        let certificate = ClientCertificate(der: made.der)
        #expect(certificate.subject == "CN=alice,O=Gale Tests,C=ES")
        #expect(certificate.subject == made.subject)
        // Self-signed: the issuer is the subject.
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.commonName == "alice")
        #expect(certificate.serialNumber == "F1E2")
        #expect(certificate.serialNumber == made.serial)
        #expect(certificate.der == made.der)
    }

    @Test func specialCharactersMultiValuedPartsAndUnicode() async throws {
        let made = try await certificate(subject: "/O=Smith, Jones/OU=a;b/CN=Zoë+UID=42", serial: "0x80")
        let certificate = ClientCertificate(der: made.der)
        #expect(certificate.subject == "CN=Zoë+UID=42,OU=a\\;b,O=Smith\\, Jones")
        #expect(certificate.commonName == "Zoë")
        // A serial whose top bit is set carries a zero byte in DER, which is not shown.
        #expect(certificate.serialNumber == "80")
    }

    @Test func malformedBytesGiveEmptyFieldsNotACrash() async throws {
        let made = try await certificate(subject: "/CN=alice")
        for length in stride(from: 0, to: made.der.count - 1, by: 7) {
            let cut = ClientCertificate(der: Array(made.der.prefix(length)))
            #expect(cut.der.count == length)
            #expect(cut.subject.isEmpty)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let noise = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255) }
            _ = ClientCertificate(der: [0x30, 0x82, 0xFF, 0xFF] + noise)
            _ = ClientCertificate(der: noise)
        }
        let empty = ClientCertificate(der: [])
        #expect(empty.subject == "")
        #expect(empty.commonName == nil)
        #expect(empty.serialNumber == "")
    }
}
