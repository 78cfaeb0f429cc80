// gale-test-server: an app for the integration tests that need Gale in a process of its own
// (its memory measured apart from the test runner's). Not an example: tests only.
import Crypto
import Gale
import GaleCommand

@main
struct GaleTestServer: GaleApp {
    static var commandName: String { "gale-test-server" }
    static var usesCookieSecret: Bool { false }

    static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
        Application([try URLSpec("/upload", UploadHandler.self)], settings: Settings(debug: server.debug))
    }
}

/// PUT or POST any body up to 4 GiB, taken as it arrives (`streamRequestBody`) and never held
/// whole; answers its size and SHA-256.
final class UploadHandler: AsyncRequestHandler {
    override class var streamRequestBody: Bool { true }
    override class var maxBodySize: Int? { 4 << 30 }
    private var hasher = SHA256()
    private var size = 0

    override func dataReceived(_ chunk: [UInt8]) async throws {
        hasher.update(data: chunk)
        size += chunk.count
    }

    override func put() async throws {
        // Through the raw bytes, as Gale's own Etag does.
        let digest = hasher.finalize().withUnsafeBytes { Hex.encode($0) }
        try write("\(size) \(digest)")
    }

    override func post() async throws { try await put() }
}
