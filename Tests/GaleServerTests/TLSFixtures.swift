import Foundation
import Gale
import GaleServer
import GaleTesting
import Logging

/// Certificates made with `openssl`: the server's (self-signed RSA, CN=localhost), and a CA
/// with a client certificate it signed (ECDSA, CN=alice), in a directory of their own.
/// Made once per test run and shared (`TLSFiles.make()`), and left in the temporary directory
/// (a few KiB): key generation is the slow part, and the suite runs on two cores beside every
/// other suite.
struct TLSFiles: Sendable {
    let directory: TemporaryDirectory
    var path: String { directory.path }
    var certificate: String { path + "/cert.pem" }
    var key: String { path + "/key.pem" }
    var ca: String { path + "/ca.pem" }
    var clientCertificate: String { path + "/client.pem" }
    var clientKey: String { path + "/client-key.pem" }

    /// The client certificate in DER: its PEM's base64 body, decoded.
    func clientCertificateDER() throws -> [UInt8] {
        let pem = try String(contentsOfFile: clientCertificate, encoding: .utf8)
        let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: base64) else { throw TLSTestError("bad PEM in \(clientCertificate)") }
        return [UInt8](data)
    }

    private static let shared = Task { try await TLSFiles() }

    /// The run's certificates (made on first use).
    static func make() async throws -> TLSFiles { try await shared.value }

    private init() async throws {
        directory = try TemporaryDirectory()
        let path = directory.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await Self.openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", path + "/key.pem", "-out", path + "/cert.pem")
        try await Self.openssl(
            ["req", "-x509"] + ec + [
                "-subj", "/O=Gale Tests/CN=Gale Test CA", "-days", "1", "-keyout", path + "/ca-key.pem", "-out",
                path + "/ca.pem",
            ])
        try await Self.openssl(
            ["req"] + ec + [
                "-subj", "/O=Gale Tests/CN=alice", "-keyout", path + "/client-key.pem", "-out", path + "/client.csr",
            ])
        try await Self.openssl(
            "x509", "-req", "-in", path + "/client.csr", "-CA", path + "/ca.pem", "-CAkey", path + "/ca-key.pem",
            "-set_serial", "0x1F2E3D", "-days", "1", "-out", path + "/client.pem")
    }

    static func openssl(_ arguments: String...) async throws { try await openssl(arguments) }

    /// Runs `openssl` with `arguments`; throws with what it printed when it fails.
    static func openssl(_ arguments: [String]) async throws {
        try await ChildProcess.check("/usr/bin/openssl", arguments)
    }
}

struct TLSTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What curl made of one exchange.
struct CurlResult: Sendable {
    /// curl's exit status: 0 when it got a response, whatever its status code.
    var exitCode: Int32
    var status: Int
    /// `%{http_version}`: "1.1" or "2".
    var version: String
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var stderr: String
}

/// Runs `curl` against `https://localhost:PORT`, trusting the test's server certificate.
func curlTLS(_ files: TLSFiles, port: Int, _ target: String, _ arguments: [String] = []) async throws -> CurlResult {
    try await curl(["--cacert", files.certificate] + arguments, "https://localhost:\(port)\(target)")
}

/// Runs `curl` (at most 30 s) and reads its answer from the files it wrote.
func curl(_ arguments: [String], _ url: String) async throws -> CurlResult {
    let scratch = try TemporaryDirectory()
    defer { scratch.remove() }
    let outcome = try await ChildProcess(
        "/usr/bin/curl",
        [
            "-sS", "--max-time", "30", "-o", scratch.path + "/body", "-D", scratch.path + "/head", "-w",
            "%{http_version}",
        ] + arguments + [url]
    ).run()
    let head = (try? String(contentsOfFile: scratch.path + "/head", encoding: .utf8)) ?? ""
    // The last header block (an interim 100 Continue may come first).
    let block = head.components(separatedBy: "\r\n\r\n").last { !$0.isEmpty } ?? ""
    let lines = block.split(separator: "\r\n")
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
    }
    let body = (try? Data(contentsOf: URL(fileURLWithPath: scratch.path + "/body"))).map { [UInt8]($0) } ?? []
    return CurlResult(
        exitCode: outcome.status,
        status: Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0,
        version: outcome.text, headers: headers, body: body, stderr: outcome.errorText)
}

/// Reports what the server knows of the connection: scheme, version and client certificate.
final class ConnectionInfoHandler: RequestHandler {
    override func get() throws {
        let certificate = getSSLCertificate()
        try write([
            "protocol": request.protocol,
            "version": request.version,
            "subject": certificate?.subject ?? "none",
            "issuer": certificate?.issuer ?? "none",
            "common_name": certificate?.commonName ?? "none",
            "serial": certificate?.serialNumber ?? "none",
            "der_bytes": certificate.map { String($0.der.count) } ?? "0",
        ])
    }
}

/// The server test app with `/info` and static files from `staticPath`.
func makeTLSTestApp(staticPath: String? = nil, gate: Gate? = nil) throws -> Application {
    let base = try gate.map(makeGatedApp) ?? makeServerTestApp()
    return Application(
        [try URLSpec("/info", ConnectionInfoHandler.self)] + base.handlers,
        settings: Settings(staticPath: staticPath)
    ).withLogLevel(.critical)
}

/// Starts an HTTPS server for `app` on a free port of 127.0.0.1.
func startTLSServer(
    _ app: Application, _ options: TLSOptions, configure: (inout HTTPServer.Configuration) -> Void = { _ in }
)
    async throws -> (HTTPServer, Int)
{
    var configuration = HTTPServer.Configuration(sslOptions: options)
    configure(&configuration)
    let server = HTTPServer(app, configuration: configuration)
    try await server.bind(0, address: "127.0.0.1")
    try server.start()
    guard let port = server.ports.first else { throw TLSTestError("no port") }
    return (server, port)
}
