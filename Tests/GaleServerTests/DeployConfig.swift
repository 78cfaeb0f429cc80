import Foundation
import Gale
import GaleTesting

/// A configuration file from `Docs/deploy/`, filled in for one test run in a fresh directory,
/// so the documented files are the tested ones.
struct DeployConfig {
    let directory: URL
    let port: Int
    let path: String

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Renders `Docs/deploy/<name>` with `@PREFIX@`, `@PORT@`, `@BINARY@`, `@SECRET@`,
    /// `@SOCKET@` (`PREFIX/app.sock`) and the `extra` values filled in.
    init(_ name: String, extra: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let template = try String(
            contentsOf: Self.repository.appendingPathComponent("Docs/deploy/\(name)"), encoding: .utf8)
        let values = [
            "@PREFIX@": directory.path, "@PORT@": String(port), "@SECRET@": "test",
            "@BINARY@": ExampleProcess.binDirectory.appendingPathComponent("friendfeed").path,
            "@SOCKET@": directory.appendingPathComponent("app.sock").path,
        ].merging(extra) { $1 }
        let text = values.reduce(template) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    var socket: String { directory.appendingPathComponent("app.sock").path }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Waits (up to 10 s) until something accepts connections on `port`.
    func waitUntilListening() async -> Bool {
        for _ in 0..<200 {
            if let connection = try? await RawConnection.connect(host: "127.0.0.1", port: port) {
                connection.close()
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// GET `target` through the front server, one connection per request.
    func get(_ target: String, _ headers: [String: String] = [:]) async throws -> TestResponse {
        try await httpGet(port: port, target, headers)
    }

    static func freePort() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.featureUnsupported)
        }
        return port
    }
}

/// GET `target` from 127.0.0.1:`port` on a fresh connection, and the whole response.
func httpGet(
    port: Int, _ target: String, _ headers: [String: String] = [:], timeout: Duration = .seconds(5)
) async throws -> TestResponse {
    let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
    defer { connection.close() }
    let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
    try await connection.send("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\(extra)Connection: close\r\n\r\n")
    return try await connection.readResponse(timeout: timeout)
}

/// Any request to 127.0.0.1:`port`, one connection, `Connection: close`.
func httpRequest(
    port: Int, _ method: String, _ target: String, _ headers: [String: String] = [:], body: [UInt8] = []
) async throws -> TestResponse {
    let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
    defer { connection.close() }
    var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
    head += "Connection: close\r\n\r\n"
    try await connection.send(Array(head.utf8) + body)
    return try await connection.readResponse(method: method)
}

/// FriendFeed's sign-in as a browser does it: GET /login for the form and `_xsrf` cookie,
/// POST the name with the token, and return the `user` cookie the redirect came with.
func signInToFriendFeed(port: Int, name: String, next: String = "/") async throws -> (user: String, location: String?) {
    let form = try await httpRequest(port: port, "GET", "/login?next=\(URLEncoding.encode(next))")
    guard form.status == 200, let xsrf = form.cookie("_xsrf"),
        let token = form.text.firstMatch(of: /name="_xsrf" value="([^"]+)"/)?.1
    else { throw SignInFailure(description: "no form or _xsrf cookie: \(form.status) \(form.text.prefix(300))") }
    let fields = [("_xsrf", String(token)), ("name", name), ("next", next)]
    let body = fields.map { "\(URLEncoding.encode($0.0))=\(URLEncoding.encode($0.1))" }.joined(separator: "&")
    let posted = try await httpRequest(
        port: port, "POST", "/login",
        ["Cookie": "_xsrf=\(xsrf)", "Content-Type": "application/x-www-form-urlencoded"], body: Array(body.utf8))
    guard posted.status == 302, let user = posted.cookie("user") else {
        throw SignInFailure(
            description: "sign-in answered \(posted.status) \(posted.reason): \(posted.text.prefix(300))")
    }
    return (user, posted.headers["Location"])
}

struct SignInFailure: Error, CustomStringConvertible {
    var description: String
}
