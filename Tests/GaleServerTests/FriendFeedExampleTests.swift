import Foundation
import Gale
import GaleTesting
import Testing

/// The FriendFeed example as `make run` starts it: a real process, in a fresh directory.
@Suite struct FriendFeedExampleTests {
    func freshDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("friendfeed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func servesPagesStaticFilesAndWhoAmI() async throws {
        let directory = try freshDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try ExampleProcess("friendfeed", ["serve", "--port", "0", "--xheaders"], directory: directory)
        let port = try #require(await app.servingPort(), "no serving line in: \(app.printed)")
        #expect(app.printed.contains("generated a development cookie secret in .gale/friendfeed-cookie-secret"))
        let secret = try String(
            contentsOf: directory.appendingPathComponent(".gale/friendfeed-cookie-secret"), encoding: .utf8)
        #expect(secret.count == 64)

        func get(_ target: String, _ headers: [String: String] = [:]) async throws -> TestResponse {
            try await httpGet(port: port, target, headers)
        }

        // The home page needs a user: sign in through the form (XSRF token and secure cookie).
        let anonymous = try await get("/")
        #expect(anonymous.status == 302)
        #expect(anonymous.headers["Location"] == "/login?next=%2F")
        // compressResponse is on: every answer varies with Accept-Encoding.
        #expect(anonymous.headers["Vary"] == "Accept-Encoding")
        let (user, location) = try await signInToFriendFeed(port: port, name: "<Ana>")
        #expect(location == "/")
        let home = try await get("/", ["Cookie": "user=\(user)"])
        #expect(home.status == 200)
        #expect(home.text.contains("<title>FriendFeed - Home</title>"))
        #expect(home.text.contains("Welcome, &lt;Ana&gt;."))
        let spanish = try await get("/", ["Accept-Language": "es", "Cookie": "user=\(user)"])
        #expect(spanish.text.contains("<title>FriendFeed - Inicio</title>"))
        #expect(spanish.text.contains("Bienvenido, &lt;Ana&gt;."))
        // A forged cookie, a next leaving the site, a POST without the token, signing out.
        #expect(try await get("/", ["Cookie": "user=\"<Ana>\""]).status == 302)
        #expect(try await signInToFriendFeed(port: port, name: "Bo", next: "//evil.example").location == "/")
        let noToken = try await httpRequest(
            port: port, "POST", "/login", ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array("name=Eve".utf8))
        #expect(noToken.status == 403)
        let signOut = try await get("/logout", ["Cookie": "user=\(user)"])
        #expect(signOut.status == 302)
        #expect(signOut.cookie("user") == "\"\"")
        let logoURL = try #require(home.text.firstMatch(of: /src="(\/static\/images\/logo\.png\?v=[0-9a-f]{128})"/)?.1)
        let logo = try await get(String(logoURL))
        #expect(logo.status == 200)
        #expect(logo.headers["Content-Type"] == "image/png")
        #expect(logo.headers["Cache-Control"] == "max-age=315360000")
        #expect(logo.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        #expect(try await get("/robots.txt").text.contains("Disallow: /login"))
        #expect(try await get("/favicon.ico").status == 200)
        #expect(try await get("/apple-touch-icon.png").headers["Content-Type"] == "image/png")
        let range = try await get("/static/big.bin", ["Range": "bytes=1000-1999"])
        #expect(range.status == 206)
        #expect(range.body.count == 1000)
        #expect(range.headers["Content-Range"] == "bytes 1000-1999/1572864")

        let whoami = try await get("/whoami", ["X-Real-Ip": "203.0.113.5", "X-Scheme": "https"])
        #expect(whoami.text.contains(#""remote_ip": "203.0.113.5""#))
        #expect(whoami.text.contains(#""protocol": "https""#))
        #expect(try await get("/login?next=/x").text.contains(#"name="next" value="/x""#))
        #expect(await app.stop() == 0)

        // The second start reuses the secret instead of making another.
        let again = try ExampleProcess("friendfeed", ["--port", "0"], directory: directory)
        #expect(await again.servingPort() != nil)
        #expect(again.printed.contains("using the development cookie secret"))
        #expect(await again.stop() == 0)
    }

    @Test func cookieSecretFromTheEnvironmentWritesNoFile() async throws {
        let directory = try freshDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try ExampleProcess(
            "friendfeed", ["--port", "0"], directory: directory, environment: ["FRIENDFEED_COOKIE_SECRET": "from-env"])
        #expect(await app.servingPort() != nil)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".gale").path))
        #expect(await app.stop() == 0)
    }
}
