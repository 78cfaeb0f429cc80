// gale-test-server: an app for the integration tests that need Gale in a process of its own
// (its memory measured apart from the test runner's). Not an example: tests only.
import Crypto
import Gale
import GaleAutoreload
import GaleCommand

#if canImport(Glibc)
    import Glibc
#endif

@main
struct GaleTestServer: GaleApp {
    static var commandName: String { "gale-test-server" }
    static var usesCookieSecret: Bool { false }

    static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
        // For the crash-loop test: a worker that dies as soon as it starts.
        if ServerProcess.taskID != nil, getenv("GALE_TEST_CRASH_WORKERS") != nil { exit(3) }
        // For the autoreload tests: one more file to watch, and a hook that says it ran.
        if let path = getenv("GALE_TEST_WATCH").map({ String(cString: $0) }) {
            try Autoreload.watch(path)
            Autoreload.addReloadHook {
                // Straight to the descriptor: buffered output would be lost in the exec.
                let line = Array("reload hook ran (pid \(getpid()))\n".utf8)
                _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            }
        }
        return Application(
            [
                try URLSpec("/upload", UploadHandler.self), try URLSpec("/slow", SlowHandler.self),
                try URLSpec("/environment", EnvironmentHandler.self), try URLSpec("/trap", TrapHandler.self),
            ],
            settings: Settings(debug: server.debug))
    }
}

/// Answers "slept" after `?ms=` milliseconds: a request in flight for the shutdown tests.
final class SlowHandler: AsyncRequestHandler {
    override func get() async throws {
        let milliseconds = Int(try getArgument("ms", default: "1000") ?? "1000") ?? 1000
        try await Task.sleep(for: .milliseconds(milliseconds))
        try write("slept")
    }
}

/// Traps, as a handler's programming error does (a failed precondition, a force-unwrapped nil):
/// the process ends, for the test of a supervisor starting a FastCGI worker again.
final class TrapHandler: RequestHandler {
    override func get() throws {
        preconditionFailure("GET /trap traps on purpose")
    }
}

/// The names of this process's `GALE_` environment variables (but the tests' own `GALE_TEST_`
/// ones), which a program it starts would inherit, and its task ID.
final class EnvironmentHandler: RequestHandler {
    override func get() throws {
        var names: [String] = []
        var entry = environ
        while let variable = entry.pointee {
            let text = String(cString: variable)
            // GALE_TEST_ variables are the test harness's own (TestTimeouts), set for every process.
            if text.hasPrefix("GALE_"), !text.hasPrefix("GALE_TEST_") {
                names.append(String(text.prefix { $0 != "=" }))
            }
            entry += 1
        }
        try write("task \(ServerProcess.taskID.map(String.init) ?? "none"); inherited: \(names.joined(separator: ","))")
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
