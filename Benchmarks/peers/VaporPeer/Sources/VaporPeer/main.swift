// vapor-peer: the routes every peer of Benchmarks/bench-peers.sh serves (Benchmarks/peers/README.md),
// written as a Vapor 4 app would be:
//   GET /             "Hello, world"
//   GET /json         an `Order` (PeerData), made per request, returned as Content (JSONEncoder)
//   GET /page         Views/table.leaf (extending base.leaf), 100 rows made per request, rendered
//                     with Leaf (its cache on, as in production)
//   GET /static/NAME  the files under --static-path, streamed by `req.fileio` from a route, so
//                     the other routes pay no file lookup (FileMiddleware stats every path);
//                     a name with no file is 500, as `asyncStreamFile` answers (not measured)
//   anything else     404 (Vapor's ErrorMiddleware)
//
// Usage: vapor-peer --port N --static-path DIR [--views-path DIR]   (binds 127.0.0.1 only)
// Runs in Vapor's production environment with the log level at error, so nothing is logged
// per request (Vapor's route logging is at info; the other peers log no 404 either).
import Leaf
import PeerData
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

extension Order: @retroactive Content {}

/// `--port N --static-path DIR [--views-path DIR]`, parsed by hand (Vapor's own command line
/// would want `serve --hostname --port`).
struct Arguments {
    var port = 8891
    var staticPath = ""
    var viewsPath: String = {
        // .../Benchmarks/peers/VaporPeer/Sources/VaporPeer/main.swift -> .../VaporPeer/Views/
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(3)
        return parts.joined(separator: "/") + "/Views/"
    }()

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let name = rest.popFirst() {
            guard let value = rest.popFirst() else { Self.fail("\(name) needs a value") }
            switch name {
            case "--port":
                guard let number = Int(value), (0...65535).contains(number) else { Self.fail("bad port \(value)") }
                port = number
            case "--static-path": staticPath = value
            case "--views-path": viewsPath = value.hasSuffix("/") ? value : value + "/"
            default: Self.fail("unknown argument \(name)")
            }
        }
        if staticPath.isEmpty { Self.fail("--static-path is required") }
        if !staticPath.hasSuffix("/") { staticPath += "/" }
    }

    static func fail(_ message: String) -> Never {
        print("vapor-peer: \(message)\nusage: vapor-peer --port N --static-path DIR [--views-path DIR]")
        exit(2)
    }
}

let arguments = Arguments(CommandLine.arguments)
var environment = Environment(name: "production", arguments: ["vapor-peer", "--log", "error"])
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
app.logger.logLevel = .error
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = arguments.port
app.directory.viewsDirectory = arguments.viewsPath  // where Leaf looks, as Resources/Views/ would be
app.views.use(.leaf)

app.get { _ in "Hello, world" }
app.get("json") { _ in Order.make() }
app.get("page") { request async throws -> View in
    try await request.view.render("table", TablePage.make(100))
}
app.get("static", ":name") { request async throws -> Response in
    guard let name = request.parameters.get("name"), !name.contains(".."), !name.contains("/") else {
        throw Abort(.notFound)
    }
    return try await request.fileio.asyncStreamFile(at: arguments.staticPath + name)
}

do {
    try await app.execute()
} catch {
    app.logger.critical("\(error)")
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
