import ArgumentParser
import Gale
import GaleCommand
import GaleServer
import Logging
import Testing

enum DemoApp: GaleApp {
    static func makeApplication(options: ServerOptions) throws -> Application {
        try Application([("/", HelloHandler.self)], settings: Settings(debug: options.debug))
    }
}

@Suite struct GaleCommandTests {
    @Test func serveIsTheDefaultSubcommand() throws {
        let parsed = try GaleCommand<DemoApp>.parseAsRoot(["--port", "9000", "--xheaders", "--debug"])
        let serve = try #require(parsed as? GaleCommand<DemoApp>.Serve)
        #expect(serve.options.port == 9000)
        #expect(serve.options.address == "127.0.0.1")
        #expect(serve.options.configuration.xheaders)
        #expect(try DemoApp.makeApplication(options: serve.options).settings.debug)

        let explicit = try GaleCommand<DemoApp>.parseAsRoot(["serve", "--logging", "error"])
        #expect((explicit as? GaleCommand<DemoApp>.Serve)?.options.logging == .error)
        #expect(GaleCommand<DemoApp>.configuration.commandName == "demoapp")
    }

    @Test func badOptionsAreClearErrors() {
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--port", "x"]) }
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--logging", "loud"]) }
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--nope"]) }
    }
}
