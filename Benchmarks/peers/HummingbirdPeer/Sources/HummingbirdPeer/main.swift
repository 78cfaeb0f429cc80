// hb-peer: the routes every peer of Benchmarks/bench-peers.sh serves (Benchmarks/peers/README.md),
// written as a Hummingbird 2 app would be:
//   GET /             "Hello, world"
//   GET /json         an `Order` (PeerData), made per request, returned as ResponseEncodable
//                     (Hummingbird's JSONEncoder)
//   GET /page         templates/table.mustache (extending base.mustache), 100 rows made per
//                     request, rendered with swift-mustache (the values found by name through
//                     MustacheParent, not Mirror)
//   GET /static/NAME  the files under --static-path (FileMiddleware, urlBasePath /static)
//   anything else     404
//
// Usage: hb-peer --port N --static-path DIR [--template-path DIR]   (binds 127.0.0.1 only)
// The log level is Hummingbird's default (info), which logs nothing per request.
import Hummingbird
import Mustache
import PeerData

#if canImport(Glibc)
    import Glibc
#endif

extension Order: @retroactive ResponseEncodable {}

// swift-mustache finds a value by name through `Mirror` unless the object is a `MustacheParent`;
// these lookups by name are what a Hummingbird app rendering hot pages writes (with `Mirror`, the
// page took about six times as long in a quick check: Benchmarks/README.md, "Every peer in one
// run").
extension TablePage: @retroactive MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "count": count
        case "rows": rows
        default: nil
        }
    }
}

extension TableViewRow: @retroactive MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": number
        case "parity": parity
        case "id": id
        case "name": self.name
        case "email": email
        case "score": score
        case "scoreClass": scoreClass
        case "active": active
        case "tags": tags
        case "tagList": tagList
        default: nil
        }
    }
}

/// An HTML page, as Hummingbird's own examples return rendered Mustache.
struct HTML: ResponseGenerator {
    let html: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// `--port N --static-path DIR [--template-path DIR]`, parsed by hand.
struct Arguments {
    var port = 8890
    var staticPath = ""
    var templatePath: String = {
        // .../Benchmarks/peers/HummingbirdPeer/Sources/HummingbirdPeer/main.swift -> .../HummingbirdPeer/templates
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(3)
        return parts.joined(separator: "/") + "/templates"
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
            case "--template-path": templatePath = value
            default: Self.fail("unknown argument \(name)")
            }
        }
        if staticPath.isEmpty { Self.fail("--static-path is required") }
    }

    static func fail(_ message: String) -> Never {
        print("hb-peer: \(message)\nusage: hb-peer --port N --static-path DIR [--template-path DIR]")
        exit(2)
    }
}

let arguments = Arguments(CommandLine.arguments)
let library = try await MustacheLibrary(directory: arguments.templatePath)
guard library.getTemplate(named: "table") != nil else {
    Arguments.fail("no table.mustache in \(arguments.templatePath)")
}

let router = Router()
router.add(middleware: FileMiddleware(arguments.staticPath, urlBasePath: "/static"))
router.get("/") { _, _ in "Hello, world" }
router.get("/json") { _, _ in Order.make() }
router.get("/page") { _, _ -> HTML in
    guard let html = library.render(TablePage.make(100), withTemplate: "table") else {
        throw HTTPError(.internalServerError)
    }
    return HTML(html: html)
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: arguments.port), serverName: nil))
try await app.runService()
