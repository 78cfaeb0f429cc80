import Gale
import GaleTesting
import Testing

/// `?name` asks `requireSetting(name)` and says what it answered; `/uncaught` lets it throw.
final class RequireSettingHandler: RequestHandler {
    override func get() throws {
        if request.path == "/uncaught" {
            try requireSetting("template_path", feature: "templates")
            return
        }
        do {
            try requireSetting(request.query, feature: "this test")
            try write("defined")
        } catch {
            try write(error.message)
        }
    }
}

@Suite struct RequireSettingTests {
    @Test(arguments: TestMode.allCases)
    func definedSettingsPassByTornadoKeyOrPropertyName(mode: TestMode) async throws {
        let directory = try TemporaryDirectory()  // start-up checks that staticPath is a directory
        defer { directory.remove() }
        var settings = Settings(cookieSecret: "secret", loginURL: "/login")
        settings.staticPath = directory.path
        let app = Application([try URLSpec("/.*", RequireSettingHandler.self)], settings: settings).quiet()
        try await app.test(mode) { client async throws in
            for name in [
                "cookie_secret", "cookieSecret", "login_url", "loginURL", "static_path", "xsrf_cookie_name",
                "static_url_prefix", "autoescape",
            ] {
                #expect(try await client.get("/?\(name)").text == "defined", "\(name)")
            }
        }
    }

    @Test(arguments: TestMode.allCases)
    func missingSettingsThrowNamingTheSettingAndTheFeature(mode: TestMode) async throws {
        let sink = LogSink()
        var settings = Settings(keyVersion: 0)
        settings.autoescape = nil
        let app = Application([try URLSpec("/.*", RequireSettingHandler.self)], settings: settings)
            .capturingLogs(into: sink)
        try await app.test(mode) { client async throws in
            #expect(
                try await client.get("/?template_path").text
                    == "You must define the 'template_path' setting (Settings.templatePath) in your application to use this test"
            )
            #expect(try await client.get("/?loginURL").text.hasPrefix("You must define the 'loginURL' setting"))
            // Python's truthiness: no secret, key version 0, false and nil are not defined.
            for name in ["cookie_secret", "key_version", "xsrf_cookies", "debug", "autoescape", "default_host"] {
                #expect(try await client.get("/?\(name)").text.hasPrefix("You must define the '\(name)'"), "\(name)")
            }
            #expect(
                try await client.get("/?cookie_secrett").text
                    == "requireSetting: there is no setting 'cookie_secrett'; name one by Tornado's key "
                    + "('cookie_secret') or its Settings property ('cookieSecret')")

            let uncaught = try await client.get("/uncaught")
            #expect(uncaught.status == 500)
            #expect(!uncaught.text.contains("template_path"))
        }
        #expect(sink.messages.contains { $0.contains("You must define the 'template_path' setting") })
    }
}
