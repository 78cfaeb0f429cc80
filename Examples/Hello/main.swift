// The hello world of Tornado's "Running and deploying" guide, in Swift. `swift run hello` serves http://127.0.0.1:8888/;
// `hello --port N` picks another port, as Tornado's demos do with `tornado.options`.
// The same binary serves a FastCGI host (`hello fastcgi --socket PATH`) and runs as a CGI
// script (started with GATEWAY_INTERFACE set), which is what Benchmarks/gateway.sh measures.
// The guide's other shape, `app.listen(8888)` and `IOLoop.current.start()`, is in Docs/Guide.md.
import Gale
import GaleCommand

final class MainHandler: RequestHandler {
    override func get() throws {
        try write("Hello, world")
    }
}

enum Hello: GaleApp {
    static let usesCookieSecret = false

    static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
        try Application(
            [
                (#"/"#, MainHandler.self)
            ], settings: Settings(debug: server.debug))
    }
}

Hello.main()
