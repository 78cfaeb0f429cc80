import ArgumentParser
import Foundation
import Gale
import GaleCommand
import GaleServer
import Logging
import Testing

enum DemoApp: GaleApp {
    static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
        try Application([("/", HelloHandler.self)], settings: Settings(debug: server.debug))
    }
}

@Suite struct GaleCommandTests {
    @Test func serveIsTheDefaultSubcommand() throws {
        let parsed = try GaleCommand<DemoApp>.parseAsRoot(["--port", "9000", "--xheaders", "--debug"])
        let serve = try #require(parsed as? GaleCommand<DemoApp>.Serve)
        #expect(serve.server.port == 9000)
        #expect(serve.server.address == "127.0.0.1")
        #expect(serve.server.configuration.xheaders)
        #expect(try DemoApp.makeApplication(server: serve.server, options: serve.options).settings.debug)

        let explicit = try GaleCommand<DemoApp>.parseAsRoot(["serve", "--logging", "error"])
        #expect((explicit as? GaleCommand<DemoApp>.Serve)?.server.logging == .error)
        #expect(GaleCommand<DemoApp>.configuration.commandName == "demoapp")
    }

    @Test func trustedDownstreamIsRepeatableAndCheckedAtStart() throws {
        let parsed = try GaleCommand<DemoApp>.parseAsRoot(
            ["--xheaders", "--trusted-downstream", "10.0.0.5", "--trusted-downstream", "10.1.0.0/16"])
        let serve = try #require(parsed as? GaleCommand<DemoApp>.Serve)
        #expect(serve.server.configuration.trustedDownstream == ["10.0.0.5", "10.1.0.0/16"])

        var options = ServerOptions()
        options.trustedDownstream = ["10.1.0.0/40"]
        let server = HTTPServer(
            try DemoApp.makeApplication(server: options, options: NoOptions()), configuration: options.configuration)
        try server.bind(0, address: "127.0.0.1")
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.description.contains("\"10.1.0.0/40\" is not an address or a network") == true)
        server.stop()
    }

    @Test func badOptionsAreClearErrors() {
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--port", "x"]) }
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--logging", "loud"]) }
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--nope"]) }
    }
}

@Suite struct CookieSecretTests {
    @Test func optionThenEnvironmentThenAGeneratedDevelopmentSecret() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gale-secret-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(
            try CookieSecret.resolve(given: "given", appName: "my-app", environment: ["MY_APP_COOKIE_SECRET": "env"])
                == "given")
        #expect(
            try CookieSecret.resolve(given: nil, appName: "my-app", environment: ["MY_APP_COOKIE_SECRET": "env"])
                == "env")
        let generated = try CookieSecret.resolve(
            given: nil, appName: "my-app", environment: [:], directory: directory.path)
        #expect(generated?.count == 64)
        #expect(
            try CookieSecret.resolve(
                given: nil, appName: "other", environment: [:], directory: directory.path, generate: false) == nil)
        #expect(
            try CookieSecret.resolve(given: "", appName: "my-app", environment: [:], directory: directory.path)
                == generated)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/my-app-cookie-secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}
