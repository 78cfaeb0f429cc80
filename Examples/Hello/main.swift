// The seed's hello world, in Swift. `swift run hello` serves http://127.0.0.1:8888/;
// `hello --port N` picks another port, as Tornado's demos do with `tornado.options`.
import Gale
import GaleCommand
import GaleServer

final class MainHandler: RequestHandler {
    override func get() throws {
        try write("Hello, world")
    }
}

func makeApp(debug: Bool) throws -> Application {
    try Application(
        [
            (#"/"#, MainHandler.self)
        ], settings: Settings(debug: debug))
}

let options = ServerOptions.parseCommandLine()
options.bootstrapLogging()
let app = try makeApp(debug: options.debug)
try options.serve(app)
