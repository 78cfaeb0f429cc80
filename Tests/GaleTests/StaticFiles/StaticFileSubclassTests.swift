import Gale
import GaleTesting
import Testing

/// Overrides every hook Tornado's subclassing notes name.
final class CustomStaticHandler: StaticFileHandler {
    override func getCacheTime(path: String, modified: Int, mimeType: String) -> Int {
        mimeType.hasPrefix("text/") ? 60 : super.getCacheTime(path: path, modified: modified, mimeType: mimeType)
    }

    override func setExtraHeaders(path: String) throws {
        try setHeader("X-Static-Path", path)
    }

    override func validateAbsolutePath(root: String, absolutePath: String) throws -> String? {
        if absolutePath.hasSuffix(".bin") { throw HTTPError(403, reason: "No binaries") }
        return try super.validateAbsolutePath(root: root, absolutePath: absolutePath)
    }

    override func getContentType() -> String {
        absolutePath.hasSuffix(".txt") ? "text/x-custom" : super.getContentType()
    }

    override class func getContentVersion(absolutePath: String) throws -> String {
        "v1"
    }
}

@Suite struct StaticFileSubclassTests {
    @Test func staticHandlerClassHooks() async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = Application(
            [try URLSpec("/url", StaticURLHandler.self)],
            settings: Settings(staticPath: fixture.root, staticHandlerClass: CustomStaticHandler.self)
        ).quiet()
        try await app.test(.inMemory) { client async throws in
            let text = try await client.get("/static/hello.txt")
            #expect(text.headers["Cache-Control"] == "max-age=60")
            #expect(text.headers["X-Static-Path"] == "hello.txt")
            #expect(text.headers["Content-Type"] == "text/x-custom")
            #expect(text.headers["Etag"] == #""v1""#)
            let binary = try await client.get("/static/big.bin")
            #expect(binary.status == 403)
            #expect(binary.reason == "No binaries")
            #expect(try await client.get("/url").text == "/static/hello.txt?v=v1 /static/hello.txt")
        }
    }

    @Test func customPrefix() async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = Application([URLSpec](), settings: Settings(staticPath: fixture.root, staticURLPrefix: "/assets/"))
            .quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/assets/hello.txt").text == StaticFixture.hello)
            #expect(try await client.get("/static/hello.txt").status == 404)
            #expect(
                StaticFileHandler.makeStaticURL(application: app, path: "hello.txt").hasPrefix("/assets/hello.txt?v="))
        }
    }
}
