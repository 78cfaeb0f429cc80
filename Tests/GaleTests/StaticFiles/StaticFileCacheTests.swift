import Crypto
import Foundation
import Gale
import GaleTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Refuses any request that carries `X-Deny`, whether or not its file is kept: validation
/// runs on every request, the cache notwithstanding.
final class DenyingStaticHandler: StaticFileHandler {
    override func validateAbsolutePath(root: String, absolutePath: String) throws -> String? {
        if request.headers["X-Deny"] != nil { throw HTTPError(403, reason: "Denied") }
        return try super.validateAbsolutePath(root: root, absolutePath: absolutePath)
    }
}

/// Kept files (`StaticFileCache`) are served only while they are the file on disk: a file
/// replaced by rename, rewritten in place, truncated or deleted is answered from its new state
/// on the very next request, with the matching `Etag` and `Content-Length`.
@Suite struct StaticFileCacheTests {
    /// Content sizes on either side of the kept-bytes limit: small files are answered from
    /// memory, larger ones from a descriptor opened (and checked) for the request.
    static let smallLimit = 64
    enum Size: CaseIterable { case small, large }

    func makeApp(
        _ fixture: StaticFixture, entries: Int = 1024, handler: StaticFileHandler.Type = StaticFileHandler.self
    )
        -> Application
    {
        Application(
            [URLSpec](),
            settings: Settings(
                staticPath: fixture.root, staticHandlerClass: handler, staticFileCacheEntries: entries,
                staticFileCacheMaxFileSize: Self.smallLimit)
        ).quiet()
    }

    /// The key a request for `name` is kept under: the root as configured and the name.
    func key(_ fixture: StaticFixture, _ name: String) -> String {
        fixture.root + "/" + name
    }

    /// `count` bytes of `byte`, recognisable in a body.
    func content(_ byte: Character, _ size: Size, extra: Int = 0) -> [UInt8] {
        [UInt8](repeating: UInt8(ascii: byte.unicodeScalars.first ?? "x"), count: (size == .small ? 40 : 200) + extra)
    }

    func etag(_ bytes: [UInt8]) -> String {
        "\"" + SHA512.hash(data: bytes).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// Waits (at most 2 s) until the kernel's coarse clock has passed the file's change time,
    /// as it has for any file not written in the last few milliseconds: only then may a file be
    /// kept (a write within the same clock tick could leave its times unchanged).
    func settle(_ path: String) async throws {
        let deadline = ContinuousClock.now + .seconds(2)
        while let status = FileSystem.status(path), FileSystem.coarseClockNanoseconds() <= status.changedNanoseconds {
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Writes a new file beside `path` and renames it over `path` (how deploys replace files).
    func renameOver(_ path: String, _ bytes: [UInt8]) throws {
        let temporary = path + ".new"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        #expect(rename(temporary, path) == 0)
    }

    /// Rewrites `path` in place (same inode), from its first byte, then cuts it to the new length.
    func rewriteInPlace(_ path: String, _ bytes: [UInt8]) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: Data(bytes))
        try handle.truncate(atOffset: UInt64(bytes.count))
    }

    /// GETs `name` and checks the body, its `Etag` and its `Content-Length` are `expected`.
    func expectServes(
        _ client: TestClient, _ name: String, _ expected: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let response = try await client.get("/static/" + name)
        #expect(response.status == 200, sourceLocation: sourceLocation)
        #expect(response.body == expected, sourceLocation: sourceLocation)
        #expect(response.headers["Etag"] == etag(expected), sourceLocation: sourceLocation)
        #expect(response.headers["Content-Length"] == String(expected.count), sourceLocation: sourceLocation)
    }

    @Test(arguments: [TestMode.inMemory, .live], Size.allCases)
    func aChangedFileIsServedNewAtOnce(mode: TestMode, size: Size) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = makeApp(fixture)
        let path = fixture.root + "/page.css"
        let key = key(fixture, "page.css")
        let first = content("a", size)
        try Data(first).write(to: URL(fileURLWithPath: path))
        try await settle(path)
        try await app.test(mode) { client async throws in
            try await expectServes(client, "page.css", first)
            let kept = try #require(app.staticFiles.entry(for: key), "a settled file is kept")
            #expect((kept.contents != nil) == (size == .small))
            try await expectServes(client, "page.css", first)
            #expect(app.staticFiles.entry(for: key) === kept, "an unchanged file is served from its entry")

            // Renamed over, with the same size: a new inode.
            let second = content("b", size)
            try renameOver(path, second)
            try await expectServes(client, "page.css", second)
            try await settle(path)
            try await expectServes(client, "page.css", second)
            #expect(app.staticFiles.entry(for: key).map { $0 !== kept } == true, "kept again, new")

            // Rewritten in place at once, same size and inode: only the times tell.
            let third = content("c", size)
            try rewriteInPlace(path, third)
            try await expectServes(client, "page.css", third)
            try await settle(path)
            try await expectServes(client, "page.css", third)

            // Truncated in place, shorter: the new length, never the old one.
            let fourth = Array(content("d", size).prefix(7))
            try rewriteInPlace(path, fourth)
            try await expectServes(client, "page.css", fourth)
            // Emptied, then grown across the kept-bytes limit.
            try rewriteInPlace(path, [])
            try await expectServes(client, "page.css", [])
            let fifth = content("e", .large, extra: 1000)
            try rewriteInPlace(path, fifth)
            try await expectServes(client, "page.css", fifth)

            // Deleted: 404 at once; back again: served.
            try FileManager.default.removeItem(atPath: path)
            #expect(try await client.get("/static/page.css").status == 404)
            #expect(app.staticFiles.entry(for: key) == nil)
            try Data(first).write(to: URL(fileURLWithPath: path))
            try await expectServes(client, "page.css", first)
        }
    }

    /// Files renamed over again and again while clients fetch them: every answer is one whole
    /// version, with that version's `Etag` and length, never a mix and never a stale tag. A
    /// race shows here only at times (a hash read 0.3 ms apart from the body fails about one
    /// run in four), so this is a net for what the tests above check step by step.
    @Test(.timeLimit(.minutes(1)), arguments: Size.allCases)
    func everyAnswerIsOneWholeVersionWhileFilesAreReplaced(size: Size) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = makeApp(fixture)
        let path = fixture.root + "/live.css"
        let versions = (0..<4).map { content(Character(String(UnicodeScalar(UInt8(ascii: "a") + $0))), size) }
        try Data(versions[0]).write(to: URL(fileURLWithPath: path))
        let tags = versions.map(etag)
        try await app.test(.live) { client async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // Until the clients are done (at most 30 s, should they stall).
                    let deadline = ContinuousClock.now + .seconds(30)
                    var renames = 0
                    while !Task.isCancelled && ContinuousClock.now < deadline {
                        renames += 1
                        try renameOver(path, versions[renames % versions.count])
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                }
                try await withThrowingTaskGroup(of: Void.self) { clients in
                    for _ in 0..<4 {
                        clients.addTask {
                            for _ in 0..<60 {
                                let response = try await client.get("/static/live.css")
                                let index = try #require(versions.firstIndex(of: response.body), "a mixed body")
                                #expect(response.headers["Etag"] == tags[index])
                                #expect(response.headers["Content-Length"] == String(versions[index].count))
                            }
                        }
                    }
                    try await clients.waitForAll()
                }
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }

    /// A range or a 304 from a kept file answers for the file as it is now.
    @Test(arguments: [TestMode.inMemory, .live]) func rangesAndValidatorsFollowTheFile(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = makeApp(fixture)
        let path = fixture.root + "/hello.txt"
        try await settle(path)
        try await app.test(mode) { client async throws in
            let old = try await client.get("/static/hello.txt")
            let oldTag = try #require(old.headers["Etag"])
            #expect(try await client.get("/static/hello.txt", headers: ["If-None-Match": oldTag]).status == 304)
            try renameOver(path, Array("Goodbye, static world\n".utf8))
            let stale = try await client.get("/static/hello.txt", headers: ["If-None-Match": oldTag])
            #expect(stale.status == 200)
            #expect(stale.text == "Goodbye, static world\n")
            let range = try await client.get("/static/hello.txt", headers: ["Range": "bytes=0-6", "If-Range": oldTag])
            #expect(range.status == 200, "If-Range with the old tag gets the whole new file")
            #expect(range.text == "Goodbye, static world\n")
            let slice = try await client.get("/static/hello.txt", headers: ["Range": "bytes=9-14"])
            #expect(slice.status == 206)
            #expect(slice.text == "static")
        }
    }

    /// A precompressed sibling replaced while its file is kept is served new at once.
    @Test(arguments: [TestMode.inMemory, .live]) func aReplacedSiblingIsServedNew(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = makeApp(fixture)
        try await settle(fixture.root + "/app.js.gz")
        try await app.test(mode) { client async throws in
            let gzip: HTTPHeaders = ["Accept-Encoding": "gzip"]
            #expect(try await client.get("/static/app.js", headers: gzip).text == "GZIP-BYTES")
            #expect(try await client.get("/static/app.js", headers: gzip).text == "GZIP-BYTES")
            try renameOver(fixture.root + "/app.js.gz", Array("GZIP-BYTES-2".utf8))
            let fresh = try await client.get("/static/app.js", headers: gzip)
            #expect(fresh.text == "GZIP-BYTES-2")
            #expect(fresh.headers["Etag"] == etag(Array("GZIP-BYTES-2".utf8)))
            #expect(fresh.headers["Content-Encoding"] == "gzip")
            #expect(try await client.get("/static/app.js").text == StaticFixture.script)

            // Both siblings deleted: the file itself, at once.
            try FileManager.default.removeItem(atPath: fixture.root + "/app.js.gz")
            try FileManager.default.removeItem(atPath: fixture.root + "/app.js.br")
            let plain = try await client.get("/static/app.js", headers: ["Accept-Encoding": "gzip, br"])
            #expect(plain.status == 200)
            #expect(plain.text == StaticFixture.script)
            #expect(plain.headers["Content-Encoding"] == nil)
            let again = try await client.get("/static/app.js", headers: gzip)
            #expect(again.text == StaticFixture.script)
            #expect(again.headers["Vary"] == nil, "no siblings left once the file is read again")
        }
    }

    /// However many files are asked for, the cache holds at most `staticFileCacheEntries`, and
    /// with 0 it holds none; every answer is right either way.
    @Test(arguments: [0, 5]) func theCacheStaysWithinItsLimit(entries: Int) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = makeApp(fixture, entries: entries)
        let names = (0..<40).map { "many/file\($0).txt" }
        try FileManager.default.createDirectory(atPath: fixture.root + "/many", withIntermediateDirectories: true)
        for (index, name) in names.enumerated() {
            try Data(repeating: UInt8(index), count: index < 20 ? 50 : 500).write(
                to: URL(fileURLWithPath: fixture.root + "/" + name))
        }
        try await settle(fixture.root + "/" + names[names.count - 1])
        try await app.test(.inMemory) { client async throws in
            for round in 0..<2 {
                for (index, name) in names.enumerated() {
                    let expected = [UInt8](repeating: UInt8(index), count: index < 20 ? 50 : 500)
                    try await expectServes(client, name, expected)
                    #expect(app.staticFiles.count <= entries, "round \(round), file \(index)")
                    #expect(app.staticFiles.contentBytes <= entries * Self.smallLimit)
                }
            }
            #expect(app.staticFiles.count == entries)
        }
    }

    /// The cache answers nothing validation would refuse: spellings with `.`, `..` or empty
    /// segments are never kept, a kept symlink pointed outside the root is refused at once, and
    /// a subclass's `validateAbsolutePath` runs on every request.
    @Test(arguments: [TestMode.inMemory, .live]) func validationStillRunsOnKeptFiles(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = makeApp(fixture, handler: DenyingStaticHandler.self)
        try await settle(fixture.root + "/hello.txt")
        try await app.test(mode) { client async throws in
            #expect(try await client.get("/static/inside.txt").text == StaticFixture.hello)
            #expect(try await client.get("/static/inside.txt").text == StaticFixture.hello)
            #expect(app.staticFiles.entry(for: key(fixture, "inside.txt")) != nil)
            let denied = try await client.get("/static/inside.txt", headers: ["X-Deny": "1"])
            #expect(denied.status == 403)
            #expect(denied.reason == "Denied")

            // The symlink now leads out of the root: refused, though its old target was kept.
            try FileManager.default.removeItem(atPath: fixture.root + "/inside.txt")
            try FileManager.default.createSymbolicLink(
                atPath: fixture.root + "/inside.txt", withDestinationPath: fixture.secret)
            let escaped = try await client.get("/static/inside.txt")
            #expect(escaped.status == 403)
            #expect(!escaped.text.contains("top secret"))

            let count = app.staticFiles.count
            #expect(app.staticFiles.entry(for: key(fixture, "hello.txt")) == nil)
            for spelling in ["/static/./hello.txt", "/static/dir/../hello.txt", "/static/dir//../hello.txt"] {
                for _ in 0..<2 {
                    let response = try await client.get(spelling)
                    #expect([200, 403, 404].contains(response.status), "\(spelling)")
                    if response.status == 200 { #expect(response.text == StaticFixture.hello) }
                }
            }
            #expect(app.staticFiles.count <= count + 1, "odd spellings are kept under the file's own path only")
            for attempt in ["/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/escape.txt"] {
                let response = try await client.get(attempt)
                #expect([403, 404].contains(response.status), "\(attempt)")
                #expect(!response.text.contains("top secret"))
            }
        }
    }

    /// A deploy that points the root's symlink at a new release is followed on the next
    /// request, kept files and all; the old release's files are not served again.
    @Test(arguments: [TestMode.inMemory, .live]) func aSwitchedRootSymlinkIsFollowedAtOnce(mode: TestMode) async throws
    {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        for (release, text) in [("one", "release one\n"), ("two", "release two\n")] {
            try FileManager.default.createDirectory(
                atPath: base.path + "/" + release, withIntermediateDirectories: true)
            try base.write(release + "/page.css", text)
        }
        try FileManager.default.createSymbolicLink(atPath: base.path + "/current", withDestinationPath: "one")
        try await settle(base.path + "/two/page.css")
        let app = Application([URLSpec](), settings: Settings(staticPath: base.path + "/current")).quiet()
        try await app.test(mode) { client async throws in
            #expect(try await client.get("/static/page.css").text == "release one\n")
            #expect(try await client.get("/static/page.css").text == "release one\n")
            #expect(app.staticFiles.entry(for: base.path + "/current/page.css") != nil)
            try FileManager.default.createSymbolicLink(atPath: base.path + "/next", withDestinationPath: "two")
            #expect(rename(base.path + "/next", base.path + "/current") == 0)
            #expect(try await client.get("/static/page.css").text == "release two\n")
            try FileManager.default.removeItem(atPath: base.path + "/one")
            #expect(try await client.get("/static/page.css").text == "release two\n")
        }
    }

    /// `staticURL`'s version stays Tornado's (`static_hash_cache`: kept until restart) while the
    /// served `Etag` follows the file.
    @Test func urlVersionsAreKeptWhileEtagsFollowTheFile() async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = Application(
            [try URLSpec("/url", StaticURLHandler.self)], settings: Settings(staticPath: fixture.root)
        ).quiet()
        let path = fixture.root + "/hello.txt"
        try await settle(path)
        try await app.test(.inMemory) { client async throws in
            let url = try await client.get("/url").text
            _ = try await client.get("/static/hello.txt")
            let replacement = Array("changed\n".utf8)
            try renameOver(path, replacement)
            #expect(try await client.get("/url").text == url)
            #expect(try await client.get("/static/hello.txt").headers["Etag"] == etag(replacement))
        }
    }

    /// The cache itself: kept entries replace each other by key, `forget` drops only the entry
    /// it is given, the limit holds, and the byte count follows.
    @Test func entriesAreKeptReplacedAndBounded() throws {
        let cache = StaticFileCache()
        let status = try #require(FileSystem.status("/"))
        func entry(_ path: String, _ bytes: Int?) -> StaticFileCache.Entry {
            StaticFileCache.Entry(
                path: path, root: "/", status: status, etag: "\"x\"", contentType: "text/plain",
                contents: bytes.map { [UInt8](repeating: 0, count: $0) }, siblings: [])
        }
        let first = entry("/a", 10)
        cache.keep(first, for: "/a", limit: 2)
        #expect(cache.entry(for: "/a") === first)
        let second = entry("/a", 30)
        cache.keep(second, for: "/a", limit: 2)
        #expect(cache.count == 1 && cache.contentBytes == 30)
        cache.forget(first, for: "/a")
        #expect(cache.entry(for: "/a") === second, "a replaced entry cannot take its successor with it")
        cache.keep(entry("/b", nil), for: "/b", limit: 2)
        cache.keep(entry("/c", 5), for: "/c", limit: 2)
        #expect(cache.count == 2)
        #expect(cache.entry(for: "/c") != nil, "the entry just kept stays")
        #expect(cache.contentBytes == 5 + (cache.entry(for: "/a") == nil ? 0 : 30))
        cache.keep(entry("/d", 1), for: "/d", limit: 0)
        #expect(cache.entry(for: "/d") == nil)
        cache.removeAll()
        #expect(cache.count == 0 && cache.contentBytes == 0)
    }

    @Test func negativeCacheSizesStopStartUp() {
        let problems = Settings(staticFileCacheEntries: -1, staticFileCacheMaxFileSize: -5).startupProblems().errors
        #expect(problems.contains { $0.contains("staticFileCacheEntries must be 0 (off) or more, not -1") })
        #expect(problems.contains { $0.contains("staticFileCacheMaxFileSize must be 0 (off) or more, not -5") })
        #expect(Settings().startupProblems().errors.isEmpty)
    }
}
