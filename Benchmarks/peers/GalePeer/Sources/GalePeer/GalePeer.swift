// gale-peer: the routes every peer of Benchmarks/bench-peers.sh serves (Benchmarks/peers/README.md),
// written as a Gale app would be:
//   GET /             "Hello, world"
//   GET /json         an `Order` (PeerData), made per request, through `write(_:)` (json_encode's bytes)
//   GET /page         Benchmarks/templates/table.html with 100 rows made per request, `render`
//   GET /static/NAME  the files under --static-path (StaticFileHandler, the staticPath setting)
//   anything else     404
//
// Usage: gale-peer [serve] --port N --static-path DIR [--template-path DIR] [--logging warning]
import ArgumentParser
import Gale
import GaleCommand
import PeerData

/// `GET /`: Tornado's hello world.
final class HelloHandler: RequestHandler {
    override func get() throws {
        try write("Hello, world")
    }
}

/// `GET /json`: a fresh order, serialized as Tornado's `write(dict)` does.
final class JSONHandler: RequestHandler {
    override func get() throws {
        try write(Order.make())
    }
}

/// `GET /page`: the table page, its rows made per request and encoded into template values.
final class PageHandler: RequestHandler {
    override func get() throws {
        let rows = TableRow.make(100)
        try render("table.html", ["title": .string(TableRow.pageTitle), "rows": try TemplateValue(encoding: rows)])
    }
}

@main
struct GalePeer: GaleApp {
    static let usesCookieSecret = false

    /// Where the page's templates and the static files are.
    struct Options: ParsableArguments {
        @Option(help: "The directory served under /static/.")
        var staticPath: String

        @Option(help: "The directory holding table.html and base.html.")
        var templatePath: String = GalePeer.benchmarkTemplates

        init() {}
    }

    /// Benchmarks/templates, found from this file's path.
    static let benchmarkTemplates: String = {
        // .../Benchmarks/peers/GalePeer/Sources/GalePeer/GalePeer.swift -> .../Benchmarks/templates
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(5)
        return parts.joined(separator: "/") + "/templates"
    }()

    static func makeApplication(server: ServerOptions, options: Options) throws -> Application {
        try Application(
            [
                (#"/"#, HelloHandler.self),
                (#"/json"#, JSONHandler.self),
                (#"/page"#, PageHandler.self),
            ],
            settings: Settings(
                debug: server.debug, staticPath: options.staticPath, templatePath: options.templatePath))
    }
}
