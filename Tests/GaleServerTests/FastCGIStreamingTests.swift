import Dispatch
import Foundation
import Gale
import GaleFastCGI
import Logging
import Testing

@testable import GaleTesting

/// Writes, flushes, then waits until the client has seen the first part before finishing.
final class GatedStreamHandler: RequestHandler {
    static let clientSawFirstPart = DispatchSemaphore(value: 0)

    override func get() throws {
        try write("first;")
        try flush()
        let seen = Self.clientSawFirstPart.wait(timeout: .now() + 5) == .success
        try write(seen ? "second" : "the flushed part never reached the client")
    }
}

@Suite struct FastCGIStreamingTests {
    /// A handler's `flush()` goes through `FCGX_FFlush`: the host gets the bytes while the
    /// handler is still running, not when the request ends.
    @Test(.timeLimit(.minutes(1)))
    func flushReachesTheHostBeforeTheHandlerReturns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-flush-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let socket = directory.appendingPathComponent("app.sock").path
        let app = try Application([("/gated", GatedStreamHandler.self)]).withLogLevel(.critical)
        let server = try FastCGIServer(
            gateway: SynchronousGateway(application: app, serveRest: false, runtimeName: "FastCGI"),
            listen: .unixSocket(path: socket, mode: 0o600), threads: 1)
        server.start()
        defer { server.shutdown() }

        let variables = GatewayRequestBuilder.variables(method: "GET", target: "/gated", headers: [:], bodyLength: 0)
        let answer = try await DedicatedThread.run {
            var seen = ""
            return try FastCGIClient.send(socketPath: socket, variables: variables, body: []) { bytes in
                seen += String(decoding: bytes, as: UTF8.self)
                if seen.hasSuffix("first;") { GatedStreamHandler.clientSawFirstPart.signal() }
            }
        }
        #expect(String(decoding: answer, as: UTF8.self).hasSuffix("\r\n\r\nfirst;second"))
    }
}
