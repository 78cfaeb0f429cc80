import Foundation
import Gale
import GaleServer
import GaleTesting
import Testing

/// HTTPS on Gale's own server (Tornado's `ssl_options`), against real curl and certificates
/// made by openssl for each test.
@Suite struct TLSTests {
    @Test func httpsServesThePageWithProtocolHTTPS() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        defer { server.stop() }

        let page = try await curlTLS(files, port: port, "/")
        #expect(page.exitCode == 0, "\(page.stderr)")
        #expect(page.status == 200)
        #expect(page.text == "Hello, world")
        // HTTP/1.1 over TLS, as a client without HTTP/2 gets it.
        let info = try await curlTLS(files, port: port, "/info", ["--http1.1"])
        #expect(info.version == "1.1")
        let fields = try JSONDecoder().decode([String: String].self, from: Data(info.body))
        #expect(fields["protocol"] == "https")
        #expect(fields["version"] == "HTTP/1.1")
        #expect(fields["subject"] == "none")
        #expect(try await curlTLS(files, port: port, "/echo", ["--http1.1", "--data-binary", "abc"]).text == "3:abc")
        // Without xheaders, a client's X-Scheme changes nothing.
        let proxied = try await curlTLS(files, port: port, "/whoami", ["-H", "X-Scheme: http"])
        #expect(proxied.text.contains("\"protocol\": \"https\""))
    }

    /// The example of the guide's "TLS and HTTP/2" section, on a free port.
    @Test func guideExampleListensWithSSLOptions() async throws {
        let files = try await TLSFiles.make()
        let app = try makeTLSTestApp()
        var configuration = HTTPServer.Configuration()
        configuration.sslOptions = TLSOptions(certificateFile: files.certificate, keyFile: files.key)
        let server = try app.listen(0, address: "127.0.0.1", configuration: configuration)
        defer { server.stop() }
        let page = try await curlTLS(files, port: server.ports.first ?? 0, "/info")
        #expect(page.version == "2", "\(page.stderr)")
        #expect(page.text.contains(#""protocol": "https""#))
    }

    @Test func xheadersStillOverrideTheScheme() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key)
        ) { $0.xheaders = true }
        defer { server.stop() }
        let proxied = try await curlTLS(files, port: port, "/whoami", ["-H", "X-Forwarded-Proto: http"])
        #expect(proxied.text.contains("\"protocol\": \"http\""))
    }

    @Test func staticFilesGoOutOverTLSWithoutSendfile() async throws {
        let files = try await TLSFiles.make()
        let statics = try TemporaryDirectory()
        defer { statics.remove() }
        // 3 MiB and a bit, in a pattern that shows any reordering or lost piece.
        let bytes = (0..<(3 * 1024 * 1024 + 123)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 16) }
        try Data(bytes).write(to: URL(fileURLWithPath: statics.path + "/big.bin"))
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(staticPath: statics.path),
            TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        defer { server.stop() }
        for version in ["--http1.1", "--http2"] {
            let file = try await curlTLS(files, port: port, "/static/big.bin", [version])
            #expect(file.status == 200, "\(version): \(file.stderr)")
            #expect(file.body == bytes, "\(version)")
            // A range: the file slice, then more text (multipart), in order.
            let ranges = try await curlTLS(files, port: port, "/static/big.bin", [version, "-r", "0-2,100000-100001"])
            #expect(ranges.status == 206)
            #expect(ranges.text.contains("Content-Range: bytes 100000-100001/\(bytes.count)"))
        }
    }

    @Test func clientCertificateReachesGetSSLCertificate() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(),
            TLSOptions(
                certificateFile: files.certificate, keyFile: files.key, caFile: files.ca, clientCertificates: .optional)
        )
        defer { server.stop() }

        for version in ["--http1.1", "--http2"] {
            let answer = try await curlTLS(
                files, port: port, "/info", [version, "--cert", files.clientCertificate, "--key", files.clientKey])
            #expect(answer.exitCode == 0, "\(answer.stderr)")
            let fields = try JSONDecoder().decode([String: String].self, from: Data(answer.body))
            #expect(fields["subject"] == "CN=alice,O=Gale Tests")
            #expect(fields["issuer"] == "CN=Gale Test CA,O=Gale Tests")
            #expect(fields["common_name"] == "alice")
            #expect(fields["serial"] == "1F2E3D")
            #expect(fields["der_bytes"] == String(try files.clientCertificateDER().count))
            #expect(fields["protocol"] == "https")
        }
        // Optional: a client without one is served, and the handler sees none.
        let anonymous = try await curlTLS(files, port: port, "/info")
        #expect(anonymous.text.contains("\"subject\": \"none\""))
    }

    @Test func requiredClientCertificateRefusesClientsWithout() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(),
            TLSOptions(
                certificateFile: files.certificate, keyFile: files.key, caFile: files.ca, clientCertificates: .required)
        )
        defer { server.stop() }

        let refused = try await curlTLS(files, port: port, "/info")
        #expect(refused.exitCode != 0)
        #expect(refused.status == 0)
        // A certificate the CA did not sign is refused too: the server's own, self-signed.
        let stranger = try await curlTLS(files, port: port, "/info", ["--cert", files.certificate, "--key", files.key])
        #expect(stranger.exitCode != 0)
        let admitted = try await curlTLS(
            files, port: port, "/info", ["--cert", files.clientCertificate, "--key", files.clientKey])
        #expect(admitted.status == 200, "\(admitted.stderr)")
        #expect(admitted.text.contains("\"common_name\": \"alice\""))
    }

    @Test func plainHTTPToTheTLSPortFailsCleanlyAndTheServerServesOn() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        defer { server.stop() }

        let plain = try await curl([], "http://127.0.0.1:\(port)/")
        #expect(plain.exitCode != 0)
        #expect(plain.status == 0)
        // Garbage, then a client that says nothing: neither harms the next request.
        let garbage = try await RawConnection.connect(host: "127.0.0.1", port: port)
        try await garbage.send(Array(repeating: 0x16, count: 5) + Array(repeating: 0xFF, count: 4096))
        #expect(await garbage.waitForClose(timeout: .seconds(10)))
        #expect(try await curlTLS(files, port: port, "/").text == "Hello, world")
    }

    @Test func aClientThatNeverFinishesTheHandshakeIsDisconnected() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(),
            TLSOptions(certificateFile: files.certificate, keyFile: files.key, handshakeTimeout: .milliseconds(200)))
        defer { server.stop() }
        let silent = try await RawConnection.connect(host: "127.0.0.1", port: port)
        #expect(await silent.waitForClose(timeout: .seconds(10)))
    }

    @Test func badFilesAreClearErrorsAtStart() async throws {
        let files = try await TLSFiles.make()
        try files.directory.write("garbage.pem", "not a certificate\n")
        let app = try makeTLSTestApp()

        func startError(_ options: TLSOptions) -> HTTPServerError? {
            let server = HTTPServer(app, configuration: HTTPServer.Configuration(sslOptions: options))
            defer { server.stop() }
            do {
                try server.bind(0, address: "127.0.0.1")
                try server.start()
            } catch let error as HTTPServerError {
                return error
            } catch {
                return nil
            }
            return nil
        }

        let missingKey = files.path + "/missing-key.pem"
        let noKey = startError(TLSOptions(certificateFile: files.certificate, keyFile: missingKey))
        #expect(noKey?.file == missingKey)
        #expect(noKey?.description == "cannot read the TLS private key file \(missingKey): No such file or directory")

        let garbage = files.path + "/garbage.pem"
        let badCertificate = startError(TLSOptions(certificateFile: garbage, keyFile: files.key))
        #expect(badCertificate?.file == garbage)
        #expect(badCertificate?.description.hasPrefix("TLS certificate file \(garbage) ") == true)

        // The client's key with the server's certificate: refused, naming both.
        let mismatch = startError(TLSOptions(certificateFile: files.certificate, keyFile: files.clientKey))
        #expect(mismatch?.file == files.clientKey)
        #expect(mismatch?.description.contains("does the key belong to it?") == true)

        let noCA = startError(
            TLSOptions(certificateFile: files.certificate, keyFile: files.key, clientCertificates: .required))
        #expect(noCA?.description.contains("names no caFile") == true)

        // `app.listen` says the same.
        #expect(throws: HTTPServerError.self) {
            try app.listen(
                0, address: "127.0.0.1",
                configuration: HTTPServer.Configuration(
                    sslOptions: TLSOptions(certificateFile: files.certificate, keyFile: missingKey)))
        }
        // A key in the certificate file, as Python's `load_cert_chain(certfile)` allows.
        let combined =
            try String(contentsOfFile: files.certificate, encoding: .utf8)
            + String(contentsOfFile: files.key, encoding: .utf8)
        try files.directory.write("combined.pem", combined)
        let (server, port) = try await startTLSServer(app, TLSOptions(certificateFile: files.path + "/combined.pem"))
        defer { server.stop() }
        #expect(try await curlTLS(files, port: port, "/").text == "Hello, world")
    }
}
