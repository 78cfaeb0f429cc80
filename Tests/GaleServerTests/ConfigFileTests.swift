import Foundation
import GaleCommand
import GaleTesting
import Testing

/// `--config PATH` (Tornado's `parse_config_file`): the file's `name = value` lines are the
/// command line's options; the ones after `--config` win; mistakes name the file and line.
@Suite struct ConfigFileTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gale-\(UUID().uuidString).conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func linesBecomeOptions() throws {
        let path = try Self.file(
            """
            # FriendFeed behind nginx
            port = 8000
            xheaders = True
            debug = False
            cookie_secret = "a \\"quoted\\" secret"  # trailing comment
            trusted_downstream = ['10.0.0.0/8', "192.0.2.7"]
            static_path = None
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            try ConfigFile(path: path).arguments == [
                "--port", "8000", "--xheaders", "--cookie-secret", #"a "quoted" secret"#,
                "--trusted-downstream", "10.0.0.0/8", "--trusted-downstream", "192.0.2.7",
            ])
    }

    @Test func mistakesNameTheFileAndLine() throws {
        for (text, message) in [
            ("port 8000", ":1: expected `name = value`"),
            ("\nport = eighty", ":2: expected a number, a quoted string"),
            ("name = \"open", ":1: a string is not closed"),
            ("9lives = 1", ":1: \"9lives\" is not an option name"),
            ("hosts = [\"a\" \"b\"]", ":1: expected , between list items"),
            ("port = 80 81", ":1: unexpected 81 after the value"),
        ] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = #expect(throws: ConfigFile.ParseError.self) { try ConfigFile(path: path) }
            #expect(
                error?.description.contains(path + message) == true,
                "\(error?.description ?? "")")
        }
        #expect(throws: ConfigFile.ParseError.self) { try ConfigFile(path: "/nonexistent/gale.conf") }
    }

    @Test func friendFeedServesWithItsConfigAndLaterFlagsWin() async throws {
        let port = try DeployConfig.freePort()
        let path = try Self.file("port = 1\naddress = \"127.0.0.1\"\ncookie_secret = \"from the file\"\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The file says port 1; the flag after --config says otherwise and wins.
        let server = try ExampleProcess("friendfeed", ["--config", path, "--port", String(port)])
        #expect(await server.servingPort() == port, "\(server.printed)")
        #expect(try await httpGet(port: port, "/whoami").status == 200)
        #expect(await server.stop() == 0)

        let bad = try Self.file("port = 8000\nno_such_option = 1\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let refused = try ExampleProcess("friendfeed", ["--config", bad])
        #expect(await refused.stop(signal: 0) != 0)
        #expect(refused.printed.contains("no-such-option"), "\(refused.printed)")
    }
}
