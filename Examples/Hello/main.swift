// The hello world of Tornado's "Running and deploying" guide, in Swift. `swift run hello` serves http://127.0.0.1:8888/;
// `hello --port N` picks another port, as Tornado's demos do with `tornado.options`.
// The same binary serves a FastCGI host (`hello fastcgi --socket PATH`) and runs as a CGI
// script (started with GATEWAY_INTERFACE set), which is what Benchmarks/gateway.sh measures.
// The guide's other shape, `app.listen(8888)` and `IOLoop.current.start()`, is in Docs/Guide.md.
// `hello --metrics` counts and times every request and serves them at /metrics for Prometheus,
// which is what Benchmarks/metrics.sh weighs against the plain hello.
import ArgumentParser
import Gale
import GaleCommand
import GaleMetrics
import Prometheus

final class MainHandler: RequestHandler {
    override func get() throws {
        try write("Hello, world")
    }
}

enum Hello: GaleApp {
    static let usesCookieSecret = false

    struct Options: ParsableArguments {
        @Flag(help: "Count and time every request, and serve the figures at /metrics (Prometheus).")
        var metrics = false

        init() {}
    }

    static func makeApplication(server: ServerOptions, options: Options) throws -> Application {
        guard options.metrics else {
            return try Application([(#"/"#, MainHandler.self)], settings: Settings(debug: server.debug))
        }
        let registry = PrometheusCollectorRegistry()
        return Application(
            [
                try URLSpec(#"/"#, MainHandler.self),
                try URLSpec(#"/metrics"#, PrometheusHandler.self, .init(registry: registry)),
            ],
            settings: Settings(debug: server.debug, instruments: [MetricsInstrument.prometheus(registry: registry)]))
    }
}

Hello.main()
