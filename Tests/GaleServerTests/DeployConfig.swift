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

    /// A TCP port on 127.0.0.1 that was free a moment ago: the kernel's pick for a socket bound
    /// to port 0, closed again, for a configuration file that must name its port.
    static func freePort() throws -> Int {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return Int(UInt16(bigEndian: address.sin_port))
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
