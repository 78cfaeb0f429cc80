// The FriendFeed application of Tornado's "Running and deploying" guide.
import ArgumentParser
import Gale
import GaleCommand
import GaleMetrics
import Prometheus

@main
struct FriendFeed: GaleApp {
    /// FriendFeed's own options, beside the server's (`--port`, `--xheaders`, ...).
    struct Options: ParsableArguments {
        @Option(help: "The directory of static files.")
        var staticPath: String = FriendFeed.exampleDirectory + "/static"

        init() {}
    }

    /// This file's folder, so `swift run friendfeed` finds `static/` from anywhere (the
    /// guide's `os.path.join(os.path.dirname(__file__), "static")`).
    static let exampleDirectory: String = {
        let file = #filePath
        return file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
    }()

    static func makeApplication(server: ServerOptions, options: Options) throws -> Application {
        // Each request counted and timed, served to Prometheus at /_metrics; with several
        // processes, each worker answers for itself, labelled with its task ID.
        let registry = PrometheusCollectorRegistry()
        let metrics = MetricsInstrument.prometheus(
            registry: registry, dimensions: ServerProcess.taskID.map { [("task", String($0))] } ?? [])
        let settings = Settings(
            debug: server.debug,
            instruments: [metrics],
            // Gzip text for clients that take it (Gale's own server; behind nginx, nginx does).
            compressResponse: true,
            cookieSecret: server.cookieSecret,
            loginURL: "/login",
            xsrfCookies: true,
            staticPath: options.staticPath,
            translations: try Translations(csvDirectory: exampleDirectory + "/translations"),
            templatePath: exampleDirectory + "/templates"
        )
        return Application(
            [
                try URLSpec(#"/"#, MainHandler.self),
                try URLSpec(#"/login"#, LoginHandler.self),
                try URLSpec(#"/logout"#, LogoutHandler.self),
                try URLSpec(#"/(apple-touch-icon\.png)"#, StaticFileHandler.self, .init(path: options.staticPath)),
                try URLSpec(#"/whoami"#, WhoAmIHandler.self),
                // Which process answered, and how it is doing (opt-in; keep it from the public).
                try URLSpec(#"/_status"#, ProcessStatusHandler.self),
                try URLSpec(#"/_metrics"#, PrometheusHandler.self, .init(registry: registry)),
            ],
            settings: settings)
    }
}
