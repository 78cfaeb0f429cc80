import Gale
import GaleServer
import GaleTesting
import Logging

final class HelloHandler: RequestHandler {
    override func get() throws { try write("Hello, world") }
}

/// Echoes the request: method, body size and body.
final class EchoHandler: RequestHandler {
    override func post() throws {
        try write("\(request.body.count):")
        try write(request.body)
    }
    override func put() throws { try post() }
}

/// Streams three chunks.
final class StreamHandler: RequestHandler {
    override func get() throws {
        for part in ["a", "b", "c"] {
            try write(part)
            try flush()
        }
    }
}

/// Streams from an async handler: each flush crosses from the task to the event loop.
final class AsyncStreamHandler: AsyncRequestHandler {
    override func get() async throws {
        for part in ["x", "y", "z"] {
            try write(part)
            try await flush()
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Answers after a delay; used to test graceful shutdown with a request in flight.
final class SlowHandler: AsyncRequestHandler {
    override func get() async throws {
        let milliseconds = Int(request.query) ?? 300
        try await Task.sleep(for: .milliseconds(milliseconds))
        try write("slow done")
    }
}

/// Uses a feature only the async runtime offers, as the async HTTP client will.
final class NeedsClientHandler: RequestHandler {
    override func get() throws {
        try require(.asyncHTTPClient)
        try write("fetched")
    }
}

/// Schedules a timer on the event loop.
final class TimerHandler: RequestHandler {
    override func get() throws {
        try ioLoop.callLater(.milliseconds(1)) {}
        try write("scheduled")
    }
}

/// Describes each uploaded file: field, name, size and a checksum of its bytes.
final class UploadHandler: RequestHandler {
    override func post() throws {
        for (field, files) in try arguments.files.sorted(by: { $0.key < $1.key }) {
            for file in files {
                let sum = file.body.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xffff_ffff }
                try write("\(field):\(file.filename):\(file.body.count):\(sum)\n")
            }
        }
        try write("title=\(try getArgument("title"))")
    }
}

/// Reports what the server made of the client's address and scheme.
final class WhoAmIHandler: RequestHandler {
    override func get() throws {
        try write(["remote_ip": request.remoteIP, "protocol": request.protocol])
    }
}

func makeServerTestApp() throws -> Application {
    try Application([
        ("/", HelloHandler.self),
        ("/echo", EchoHandler.self),
        ("/stream", StreamHandler.self),
        ("/astream", AsyncStreamHandler.self),
        ("/slow", SlowHandler.self),
        ("/whoami", WhoAmIHandler.self),
        ("/client", NeedsClientHandler.self),
        ("/timer", TimerHandler.self),
        ("/upload", UploadHandler.self),
    ]).withLogLevel(.critical)
}

/// The server test app with `/gated`, whose requests wait at `gate`.
func makeGatedApp(_ gate: Gate) throws -> Application {
    let base = try makeServerTestApp()
    return Application([try URLSpec("/gated", GatedHandler.self, gate)] + base.handlers).withLogLevel(.critical)
}

extension TestClient {
    /// A raw connection to the live server.
    func connect() async throws -> RawConnection {
        try await RawConnection.connect(host: "127.0.0.1", port: port ?? 0)
    }
}
