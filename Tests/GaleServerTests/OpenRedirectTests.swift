import Gale
import GaleServer
import GaleTesting
import Logging
import Testing

/// Sends the visitor back to `next` if it is a path on this site, as FriendFeed's sign-in does.
final class ReturnToNextHandler: RequestHandler {
    override func get() throws {
        try redirect(localRedirectTarget(try getArgument("next", default: nil), fallback: "/home"))
    }
}

/// Open redirects (CWE-601) over a real connection: a `next` argument and a static directory at
/// the site's root must never yield a `Location` on another host. Docs/Security.md, "Open redirects".
@Suite struct OpenRedirectTests {
    /// Every `Location` the live server answers `target` with (none when it does not redirect),
    /// and the status.
    func redirectOf(_ target: String, client: TestClient) async throws -> (Int, String?) {
        let connection = try await client.connect()
        try await connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let response = try await connection.readResponse(timeout: .seconds(30))
        connection.close()
        return (response.status, response.headers["Location"])
    }

    @Test func aNextArgumentCannotLeaveTheSite() async throws {
        let app = try Application([("/back", ReturnToNextHandler.self)]).withLogLevel(.critical)
        let hostile = [
            "//evil.example", "https://evil.example/", "/%5Cevil.example", "%5C%5Cevil.example", "/%09/evil.example",
            "%2F%2Fevil.example", "javascript:alert(1)", "/%E2%80%8B/evil.example", "evil.example", "",
            "HTTPS:%2F%2Fevil.example", "/%0D%0ALocation:%20//evil.example",
        ]
        try await app.test(.live) { client async throws in
            for next in hostile {
                let (status, target) = try await redirectOf("/back?next=\(next)", client: client)
                #expect(status == 302 && target == "/home", "next=\(next) -> \(status) \(target ?? "-")")
            }
            // A path on this site is kept, query and all, so the refusals above are about the host.
            let (status, target) = try await redirectOf("/back?next=%2Fprofile%3Ftab%3D1", client: client)
            #expect(status == 302 && target == "/profile?tab=1")
        }
    }

    /// Tornado's CVE-2023-28370: a static handler at `/(.*)` redirected `//evil.example/dir` to
    /// `//evil.example/dir/`, a protocol-relative URL on another host. Gale answers 403.
    @Test func aStaticDirectoryAtTheRootDoesNotRedirectOffSite() async throws {
        let directory = try TemporaryDirectory(["sub/index.html": "inside", "evil.example/index.html": "inside too"])
        defer { directory.remove() }
        let app = Application([
            try URLSpec(
                #"/(.*)"#, StaticFileHandler.self, .init(path: directory.path, defaultFilename: "index.html"))
        ]).withLogLevel(.critical)
        try await app.test(.live) { client async throws in
            for target in ["//evil.example", "//sub", "///evil.example", "//evil.example/../sub"] {
                let (status, location) = try await redirectOf(target, client: client)
                #expect(
                    location.map { !$0.hasPrefix("//") && !$0.hasPrefix("/\\") } ?? true,
                    "\(target) -> \(location ?? "-")")
                #expect([403, 404].contains(status) || location == nil, "\(target) -> \(status)")
            }
            // A directory on this site is still redirected to its slash form and served.
            let (status, target) = try await redirectOf("/sub", client: client)
            #expect(status == 301 && target == "/sub/")
            #expect(try await client.get("/sub/").text == "inside")
        }
    }
}
