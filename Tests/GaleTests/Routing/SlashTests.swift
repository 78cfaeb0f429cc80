import Gale
import GaleTesting
import Testing

/// `@addslash` on get, head and post.
final class AddSlashHandler: RequestHandler {
    override class var addSlashMethods: Set<String> { ["GET", "HEAD", "POST"] }
    override func get() throws { try write("dir \(request.uri)") }
    override func head() throws {}
    override func post() throws { try write("posted") }
}

/// `@removeslash` on get, head and delete.
final class RemoveSlashHandler: RequestHandler {
    override class var removeSlashMethods: Set<String> { ["GET", "HEAD", "DELETE"] }
    override func get() throws { try write("file \(request.uri)") }
    override func head() throws {}
    override func delete() throws { try write("deleted") }
}

/// `addSlash()` called in one method only.
final class AddSlashInGetHandler: RequestHandler {
    override func get() throws {
        guard try addSlash() else { return }
        try write("get ran")
    }
    override func post() throws { try write("post is not decorated") }
}

final class AsyncAddSlashHandler: AsyncRequestHandler {
    override class var addSlashMethods: Set<String> { ["GET"] }
    override func get() async throws { try write("async dir") }
}

/// Expected values are Tornado 6.6.1's `@addslash` / `@removeslash`.
@Suite struct SlashTests {
    let app: Application

    init() throws {
        app = Application([
            try URLSpec("/dir/?", AddSlashHandler.self),
            try URLSpec("/file/*", RemoveSlashHandler.self),
            try URLSpec("/+", RemoveSlashHandler.self),
            try URLSpec("/m/?", AddSlashInGetHandler.self),
            try URLSpec("/async/?", AsyncAddSlashHandler.self),
            try URLSpec("//add.*", AddSlashHandler.self),
            try URLSpec("//rm.*", RemoveSlashHandler.self),
        ]).quiet()
    }

    func answer(_ client: TestClient, _ method: String, _ uri: String) async throws -> String {
        let response = try await client.execute(method, uri)
        if response.status == 301 { return "301 \(response.headers["Location"] ?? "-")" }
        return response.status == 200 ? response.text : "\(response.status)"
    }

    @Test(arguments: TestMode.allCases)
    func addSlashRedirectsGetAndHeadAndRefusesOthers(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            #expect(try await answer(client, "GET", "/dir") == "301 /dir/")
            #expect(try await answer(client, "GET", "/dir?x=1&y") == "301 /dir/?x=1&y")  // the query as sent
            #expect(try await answer(client, "GET", "/dir?") == "301 /dir/")
            #expect(try await answer(client, "HEAD", "/dir") == "301 /dir/")
            #expect(try await answer(client, "GET", "/dir/") == "dir /dir/")
            #expect(try await answer(client, "POST", "/dir") == "404")
            #expect(try await answer(client, "POST", "/dir/") == "posted")
            // Called in `get()` only: POST is not checked.
            #expect(try await answer(client, "GET", "/m") == "301 /m/")
            #expect(try await answer(client, "GET", "/m/") == "get ran")
            #expect(try await answer(client, "POST", "/m") == "post is not decorated")
        }
    }

    @Test(arguments: TestMode.allCases)
    func removeSlashRedirectsGetAndHeadAndRefusesOthers(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            #expect(try await answer(client, "GET", "/file/") == "301 /file")
            #expect(try await answer(client, "GET", "/file///?a=b") == "301 /file?a=b")  // every trailing slash
            #expect(try await answer(client, "HEAD", "/file/") == "301 /file")
            #expect(try await answer(client, "GET", "/file") == "file /file")
            #expect(try await answer(client, "DELETE", "/file/") == "404")
            #expect(try await answer(client, "DELETE", "/file") == "deleted")
            #expect(try await answer(client, "GET", "/") == "file /")  // `/` is not redirected to ``
            #expect(try await answer(client, "GET", "///") == "file ///")
        }
    }

    /// Tornado 6.6: a redirect to `//host` would send the browser to another site.
    @Test(arguments: TestMode.allCases)
    func pathsThatWouldRedirectToAnotherHostGet403(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            #expect(try await answer(client, "GET", "//add.example") == "403")
            #expect(try await answer(client, "GET", "//rm.example//") == "403")
            #expect(try await answer(client, "GET", "//add.example/") == "dir //add.example/")
            #expect(try await answer(client, "GET", "//rm.example") == "file //rm.example")
        }
    }

    @Test func backslashesAreReadAsBrowsersReadThem() async throws {
        let app = Application([try URLSpec(#"/\\rm.*"#, RemoveSlashHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(try await answer(client, "GET", #"/\rm.example/"#) == "403")  // `/\` is `//` to a browser
        }
    }

    @Test func asyncHandlersTakeTheSameChecks() async throws {
        try await app.test(.inMemory) { client async throws in
            #expect(try await answer(client, "GET", "/async") == "301 /async/")
            #expect(try await answer(client, "GET", "/async/") == "async dir")
        }
    }
}
