import Foundation
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

    /// Renders `Docs/deploy/<name>` with `@PREFIX@`, `@PORT@`, `@BINARY@`, `@SECRET@` and
    /// `@SOCKET@` (`PREFIX/app.sock`) filled in.
    init(_ name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let template = try String(
            contentsOf: Self.repository.appendingPathComponent("Docs/deploy/\(name)"), encoding: .utf8)
        let values = [
            "@PREFIX@": directory.path, "@PORT@": String(port), "@SECRET@": "test",
            "@BINARY@": ExampleProcess.binDirectory.appendingPathComponent("friendfeed").path,
            "@SOCKET@": directory.appendingPathComponent("app.sock").path,
        ]
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
func httpGet(port: Int, _ target: String, _ headers: [String: String] = [:]) async throws -> TestResponse {
    let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
    defer { connection.close() }
    let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
    try await connection.send("GET \(target) HTTP/1.1\r\nHost: localhost\r\n\(extra)Connection: close\r\n\r\n")
    return try await connection.readResponse()
}
