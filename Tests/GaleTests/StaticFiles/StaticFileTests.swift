import Foundation
import Gale
import GaleTesting
import Testing

/// Shows `staticURL` from a handler.
final class StaticURLHandler: RequestHandler {
    override func get() throws {
        try write(try staticURL("hello.txt") + " " + (try staticURL("hello.txt", includeVersion: false)))
    }
}

@Suite struct StaticFileTests {
    func makeApp(
        _ fixture: StaticFixture, debug: Bool = false, staticHashCache: Bool? = nil,
        defaultFilename: String? = "index.html"
    ) throws -> Application {
        Application(
            [
                try URLSpec("/url", StaticURLHandler.self),
                try URLSpec(#"/(apple-touch-icon\.png)"#, StaticFileHandler.self, .init(path: fixture.root)),
            ],
            settings: Settings(
                debug: debug, staticPath: fixture.root,
                staticHandlerArgs: .init(path: "", defaultFilename: defaultFilename), staticHashCache: staticHashCache)
        ).quiet()
    }

    @Test(arguments: TestMode.allCases)
    func servesFilesWithTornadosHeaders(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        try await makeApp(fixture).test(mode) { client async throws in
            let response = try await client.get("/static/hello.txt")
            #expect(response.status == 200)
            #expect(response.text == StaticFixture.hello)
            #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
            #expect(response.headers["Etag"] == "\"\(try fixture.version("hello.txt"))\"")
            #expect(response.headers["Accept-Ranges"] == "bytes")
            #expect(response.headers["Last-Modified"]?.hasSuffix(" GMT") == true)
            #expect(response.headers["Content-Length"] == String(StaticFixture.hello.utf8.count))
            #expect(response.headers["Cache-Control"] == nil)
            #expect(response.headers["Expires"] == nil)

            let versioned = try await client.get("/static/hello.txt?v=abc")
            #expect(versioned.headers["Cache-Control"] == "max-age=315360000")
            let expires = try #require(versioned.headers["Expires"].flatMap(HTTPDate.parse))
            // Ten years from the answer; a minute's slack for a loaded machine between the
            // answer and this line (5 s was not enough under AddressSanitizer).
            #expect(abs(expires - (HTTPDate.nowSeconds() + 315_360_000)) < 60)

            #expect(try await client.get("/static/images/logo.png").headers["Content-Type"] == "image/png")
            #expect(try await client.get("/static/big.bin").body == (try fixture.bytes("big.bin")))
            #expect(try await client.get("/static/empty.txt").body.isEmpty)
            #expect(try await client.get("/robots.txt").text == "User-agent: *\n")
            #expect(try await client.get("/favicon.ico").body == [0, 1, 2, 3])
            #expect(try await client.get("/apple-touch-icon.png").body == [0x89, 0x50, 0x4E, 0x47, 1])
            #expect(try await client.get("/static/missing.txt").status == 404)
            #expect(try await client.post("/static/hello.txt").status == 405)
        }
    }

    @Test func staticURLCarriesTheContentVersion() async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let app = try makeApp(fixture)
        try await app.test(.inMemory) { client async throws in
            let version = try fixture.version("hello.txt")
            #expect(try await client.get("/url").text == "/static/hello.txt?v=\(version) /static/hello.txt")
        }
        #expect(StaticFileHandler.makeStaticURL(application: app, path: "missing.css") == "/static/missing.css")
    }

    @Test func hashCacheFollowsDebug() async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let cached = try makeApp(fixture)
        let fresh = try makeApp(fixture, debug: true)
        let before = try await cached.test(.inMemory) { try await $0.get("/url").text }
        _ = try await fresh.test(.inMemory) { try await $0.get("/url").text }
        try "changed".write(toFile: fixture.root + "/hello.txt", atomically: true, encoding: .utf8)
        #expect(try await cached.test(.inMemory) { try await $0.get("/url").text } == before)
        let after = try await fresh.test(.inMemory) { try await $0.get("/url").text }
        #expect(after.contains(try fixture.version("hello.txt")))
    }

    /// An explicit `staticHashCache` wins over `debug`, both ways, on a running server.
    @Test(arguments: [TestMode.inMemory, .live])
    func hashCacheSettingWinsOverDebug(mode: TestMode) async throws {
        for (debug, cache) in [(false, false), (true, true)] {
            let fixture = try StaticFixture()
            defer { fixture.remove() }
            try await makeApp(fixture, debug: debug, staticHashCache: cache).test(mode) { client async throws in
                let before = try await client.get("/url").text
                #expect(before.contains(try fixture.version("hello.txt")))
                try "changed".write(toFile: fixture.root + "/hello.txt", atomically: true, encoding: .utf8)
                let after = try await client.get("/url").text
                if cache {
                    #expect(after == before)
                } else {
                    #expect(after.contains(try fixture.version("hello.txt")))
                    #expect(after != before)
                }
            }
        }
    }

    @Test(arguments: TestMode.allCases)
    func conditionalRequests(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        try await makeApp(fixture).test(mode) { client async throws in
            let first = try await client.get("/static/hello.txt")
            let etag = try #require(first.headers["Etag"])
            let modified = try #require(first.headers["Last-Modified"])

            let cached = try await client.get("/static/hello.txt", headers: ["If-None-Match": etag])
            #expect(cached.status == 304)
            #expect(cached.body.isEmpty)
            #expect(cached.headers["Etag"] == etag)
            for header in [#""nope", \#(etag)"#, "*", "W/\(etag)"] {
                #expect(try await client.get("/static/hello.txt", headers: ["If-None-Match": header]).status == 304)
            }
            // If-None-Match alone decides when present.
            let changed = try await client.get(
                "/static/hello.txt", headers: ["If-None-Match": #""other""#, "If-Modified-Since": modified])
            #expect(changed.status == 200)
            #expect(try await client.get("/static/hello.txt", headers: ["If-Modified-Since": modified]).status == 304)
            let old = HTTPDate.format(secondsSince1970: 0)
            #expect(try await client.get("/static/hello.txt", headers: ["If-Modified-Since": old]).status == 200)
            #expect(try await client.get("/static/hello.txt", headers: ["If-Modified-Since": "garbage"]).status == 200)

            let head = try await client.execute("HEAD", "/static/hello.txt")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.headers["Content-Length"] == String(StaticFixture.hello.utf8.count))
        }
    }

    @Test(arguments: TestMode.allCases)
    func rangeRequests(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let text = Array(StaticFixture.hello.utf8)
        let size = text.count
        try await makeApp(fixture).test(mode) { client async throws in
            func range(_ value: String, _ extra: HTTPHeaders = [:]) async throws -> TestResponse {
                var headers = extra
                headers.add("Range", value)
                return try await client.get("/static/hello.txt", headers: headers)
            }
            let first = try await range("bytes=0-4")
            #expect(first.status == 206)
            #expect(first.headers["Content-Range"] == "bytes 0-4/\(size)")
            #expect(first.text == "Hello")
            #expect(first.headers["Content-Length"] == "5")
            #expect(try await range("bytes=-3").body == Array(text.suffix(3)))
            #expect(try await range("bytes=7-").body == Array(text[7...]))
            #expect(try await range("bytes=7-100000").body == Array(text[7...]))

            let unsatisfiable = try await range("bytes=\(size)-")
            #expect(unsatisfiable.status == 416)
            #expect(unsatisfiable.headers["Content-Range"] == "bytes */\(size)")
            #expect(try await range("bytes=-0").status == 416)
            for malformed in ["bytes=abc", "bytes=5-2", "lines=1-2", "bytes=1-2-3", "bytes= -"] {
                let whole = try await range(malformed)
                #expect(whole.status == 200, "\(malformed)")
                #expect(whole.body == text)
            }
            let overlapping = try await range("bytes=0-5,3-8")
            #expect(overlapping.status == 200)

            let etag = try #require(first.headers["Etag"])
            #expect(try await range("bytes=0-4", ["If-Range": etag]).status == 206)
            #expect(try await range("bytes=0-4", ["If-Range": #""stale""#]).status == 200)
            #expect(try await range("bytes=0-4", ["If-Range": "W/\(etag)"]).status == 200)
            let modified = try #require(first.headers["Last-Modified"])
            #expect(try await range("bytes=0-4", ["If-Range": modified]).status == 206)

            let big = try fixture.bytes("big.bin")
            let slice = try await client.get("/static/big.bin", headers: ["Range": "bytes=100000-300000"])
            #expect(slice.status == 206)
            #expect(slice.body == Array(big[100_000...300_000]))
        }
    }

    @Test(arguments: TestMode.allCases)
    func multipleRangesAsMultipartByteranges(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let size = StaticFixture.hello.utf8.count
        try await makeApp(fixture).test(mode) { client async throws in
            let response = try await client.get("/static/hello.txt", headers: ["Range": "bytes=0-4,-6"])
            #expect(response.status == 206)
            let type = try #require(response.headers["Content-Type"])
            #expect(type.hasPrefix("multipart/byteranges; boundary="))
            let boundary = String(type.dropFirst("multipart/byteranges; boundary=".count))
            #expect(response.headers["Content-Length"] == String(response.body.count))
            #expect(
                response.text == "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Range: bytes 0-4/\(size)\r\n\r\nHello\r\n--\(boundary)\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Range: bytes \(size - 6)-\(size - 1)/\(size)"
                    + "\r\n\r\nworld\n\r\n--\(boundary)--\r\n")
        }
    }

    @Test(arguments: TestMode.allCases)
    func precompressedSiblings(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        try await makeApp(fixture).test(mode) { client async throws in
            let gzip = try await client.get("/static/app.js", headers: ["Accept-Encoding": "gzip, deflate"])
            #expect(gzip.text == "GZIP-BYTES")
            #expect(gzip.headers["Content-Encoding"] == "gzip")
            #expect(gzip.headers["Vary"] == "Accept-Encoding")
            #expect(gzip.headers["Content-Type"] == "text/javascript; charset=utf-8")
            let brotli = try await client.get("/static/app.js", headers: ["Accept-Encoding": "gzip, br"])
            #expect(brotli.text == "BROTLI-BYTES")
            #expect(brotli.headers["Content-Encoding"] == "br")
            #expect(brotli.headers["Etag"] != gzip.headers["Etag"])
            let refused = try await client.get("/static/app.js", headers: ["Accept-Encoding": "br;q=0, gzip;q=0"])
            #expect(refused.text == StaticFixture.script)
            let plain = try await client.get("/static/app.js")
            #expect(plain.text == StaticFixture.script)
            #expect(plain.headers["Content-Encoding"] == nil)
            #expect(plain.headers["Vary"] == "Accept-Encoding")
            #expect(try await client.get("/static/hello.txt").headers["Vary"] == nil)
        }
    }

    @Test func directoriesAndDefaultFilename() async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        try await makeApp(fixture).test(.inMemory) { client async throws in
            let redirect = try await client.get("/static/dir")
            #expect(redirect.status == 301)
            #expect(redirect.headers["Location"] == "/static/dir/")
            #expect(try await client.get("/static/dir/").text == "<h1>index</h1>")
        }
        try await makeApp(fixture, defaultFilename: nil).test(.inMemory) { client async throws in
            #expect(try await client.get("/static/dir/").status == 403)
        }
    }

    /// Every way out of the root: 403 or 404, never the secret.
    @Test(arguments: TestMode.allCases)
    func nothingOutsideTheRootIsEverServed(mode: TestMode) async throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let attempts = [
            "/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/..%2fsecret.txt",
            "/static/%2E%2E%2Fsecret.txt", "/static/dir/../../secret.txt", "/static/escape.txt",
            "/static/..%5csecret.txt", "/static/%00", "/static/hello.txt%00.png", "/static/\(fixture.secret)",
            "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/....//secret.txt",
        ]
        try await makeApp(fixture).test(mode) { client async throws in
            for attempt in attempts {
                let response = try await client.get(attempt)
                #expect([400, 403, 404].contains(response.status), "\(attempt) -> \(response.status)")
                #expect(!response.text.contains("top secret"), "\(attempt)")
            }
            // A symlink that stays inside the root is fine.
            #expect(try await client.get("/static/inside.txt").text == StaticFixture.hello)
            #expect(try await client.get("/static/hello.txt").status == 200)
        }
    }
}
