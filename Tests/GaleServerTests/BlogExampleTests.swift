import Foundation
import Gale
import GaleCommand
import GaleTesting
import Logging
import Testing

@testable import Blog

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `Examples/Blog`, Tornado's blog demo: the author's whole day in every mode the app runs in
/// (in memory, Gale's server, CGI, FastCGI over libfcgi), each on a database of its own, with
/// the bad input an author or a stranger might send beside it.
@Suite struct BlogExampleTests {
    func withBlog(_ mode: TestMode, _ body: @Sendable (TestSession) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var server = ServerOptions()
        server.cookieSecret = "a secret for the tests only"
        var options = Blog.Options()
        options.database = directory.path + "/blog.sqlite"
        options.passwordCost = 10  // 1 MiB a hash: the suite's other tests need the CPU more
        let app = try Blog.makeApplication(server: server, options: options).withLogLevel(.critical)
        try await app.test(mode) { client async throws in try await body(TestSession(client)) }
    }

    @Test(arguments: TestMode.allCases)
    func anAuthorSignsUpWritesEditsAndSignsOut(mode: TestMode) async throws {
        try await withBlog(mode) { browser in
            // An empty blog sends a visitor to compose, which needs a sign-in, and with no
            // author yet the sign-in page sends on to making one.
            #expect(try await browser.get("/").headers["Location"] == "/compose")
            #expect(try await browser.get("/compose").headers["Location"] == "/auth/login?next=%2Fcompose")
            #expect(try await browser.get("/auth/login").headers["Location"] == "/auth/create")
            #expect(try await browser.get("/auth/create").status == 200)

            let short = try await browser.post(
                "/auth/create", form: [("email", "ada@example.com"), ("name", "Ada"), ("password", "short")])
            #expect(short.status == 400)
            let created = try await browser.post(
                "/auth/create",
                form: [
                    ("email", "ada@example.com"), ("name", "Ada"), ("password", "correct horse"), ("next", "/compose"),
                ])
            #expect(created.status == 302)
            #expect(created.headers["Location"] == "/compose")
            #expect(browser.cookie("blogdemo_user") != nil)
            let second = try await browser.post(
                "/auth/create", form: [("email", "eve@example.com"), ("name", "Eve"), ("password", "correct horse")])
            #expect(second.status == 400)
            #expect(second.text.contains("author already created"))

            // Two entries with the same title get two addresses; Markdown becomes HTML.
            #expect(try await browser.get("/compose").text.contains(#"value="Publish post""#))
            let text = "Some *emphasis*, and a [link](https://example.com).\n\n    let code = 1\n"
            let first = try await browser.post(
                "/compose", form: [("title", "Crème Brûlée, 2 ways <3"), ("markdown", text)])
            #expect(first.headers["Location"] == "/entry/creme-brulee-2-ways-3")
            let again = try await browser.post(
                "/compose", form: [("title", "Crème Brûlée, 2 ways <3"), ("markdown", "Again.")])
            #expect(again.headers["Location"] == "/entry/creme-brulee-2-ways-3-2")
            let entry = try await browser.get("/entry/creme-brulee-2-ways-3")
            #expect(entry.status == 200)
            #expect(entry.text.contains("Crème Brûlée, 2 ways &lt;3</a></h1>"), "\(entry.text)")
            #expect(entry.text.contains("<em>emphasis</em>"), "\(entry.text)")
            #expect(entry.text.contains(#"<a href="https://example.com">link</a>"#), "\(entry.text)")
            #expect(entry.text.contains(#"<a href="/compose?id=1">Edit this post</a>"#), "\(entry.text)")

            let home = try await browser.get("/")
            #expect(home.text.components(separatedBy: #"<div class="entry">"#).count == 3)
            let archive = try await browser.get("/archive")
            #expect(archive.text.contains(#"<a href="/entry/creme-brulee-2-ways-3-2">"#))

            // The feed: well-formed Atom with both entries, newest first.
            let feed = try await browser.get("/feed")
            #expect(feed.headers["Content-Type"] == "application/atom+xml")
            #expect(XMLParser(data: Data(feed.body)).parse(), "\(feed.text)")
            let ids = feed.text.matches(of: /<id>http:\/\/[^\/]+\/entry\/([a-z0-9-]+)<\/id>/).map { String($0.1) }
            #expect(ids == ["creme-brulee-2-ways-3-2", "creme-brulee-2-ways-3"], "\(feed.text)")
            let dates = feed.text.matches(of: /<(updated|published)>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</).count
            #expect(dates == 5, "the feed's and each entry's two dates, as the demo's date_format: \(feed.text)")

            // Editing keeps the address.
            #expect(try await browser.get("/compose?id=1").text.contains("Some *emphasis*"))
            let edited = try await browser.post(
                "/compose", form: [("id", "1"), ("title", "Crème brûlée"), ("markdown", "Better.")])
            #expect(edited.headers["Location"] == "/entry/creme-brulee-2-ways-3")
            #expect(try await browser.get("/entry/creme-brulee-2-ways-3").text.contains("<p>Better.</p>"))

            // Signed out, composing needs a sign-in again.
            #expect(try await browser.get("/auth/logout?next=/archive").headers["Location"] == "/archive")
            #expect(browser.cookie("blogdemo_user") == nil)
            #expect(try await browser.get("/compose").status == 302)
            #expect(!(try await browser.get("/entry/creme-brulee-2-ways-3").text.contains("Edit this post")))

            // Signing in: a wrong password and an unknown address say so; the right one works.
            let wrong = try await browser.post(
                "/auth/login", form: [("email", "ada@example.com"), ("password", "battery staple")])
            #expect(wrong.status == 200)
            #expect(wrong.text.contains("incorrect password"))
            let unknown = try await browser.post(
                "/auth/login", form: [("email", "eve@example.com"), ("password", "correct horse")])
            #expect(unknown.text.contains("email not found"))
            let signedIn = try await browser.post(
                "/auth/login", form: [("email", "ada@example.com"), ("password", "correct horse"), ("next", "/")])
            #expect(signedIn.headers["Location"] == "/")
            #expect(try await browser.get("/compose").status == 200)
        }
    }

    @Test func badInputGetsClearAnswersAndChangesNothing() async throws {
        try await withBlog(.inMemory) { browser in
            _ = try await browser.get("/auth/create")
            _ = try await browser.post(
                "/auth/create", form: [("email", "ada@example.com"), ("name", "Ada"), ("password", "correct horse")])
            _ = try await browser.post("/compose", form: [("title", "First"), ("markdown", "Text.")])

            #expect(try await browser.get("/entry/nothing-here").status == 404)
            #expect(try await browser.get("/compose?id=999").status == 404)
            #expect(try await browser.get("/compose?id=one").status == 404)
            #expect(
                try await browser.post("/compose", form: [("id", "999"), ("title", "X"), ("markdown", "Y")]).status
                    == 404)
            #expect(try await browser.post("/compose", form: [("title", ""), ("markdown", "Y")]).status == 400)
            #expect(try await browser.post("/compose", form: [("title", "No text"), ("markdown", "")]).status == 400)
            #expect(try await browser.post("/compose", form: [("markdown", "No title")]).status == 400)
            let long = String(repeating: "x", count: 513)
            #expect(try await browser.post("/compose", form: [("title", long), ("markdown", "Y")]).status == 400)
            // Without the XSRF token, nothing is written.
            let forged = try await browser.post(
                "/compose", form: [("title", "Forged"), ("markdown", "Y"), ("_xsrf", "forged")])
            #expect(forged.status == 403)
            // A forged sign-in cookie is no sign-in.
            let stranger = TestSession(browser.client)
            let strangerCompose = try await stranger.get("/compose", headers: ["Cookie": "blogdemo_user=1"])
            #expect(strangerCompose.status == 302)
            // After all that, one entry, as it was.
            let archive = try await browser.get("/archive")
            #expect(archive.text.components(separatedBy: "<li>").count == 2, "\(archive.text)")
            #expect(archive.text.contains(">First</a>"))
        }
    }

    /// Hashed and checked on a thread of their own: each scrypt is about 0.1 s of CPU and
    /// 32 MiB, which the cooperative pool's few threads are not for.
    @Test func passwordsAreScryptHashesThatCheck() async throws {
        let malformed = ["", "scrypt$", "md5$1$2$3$abc$def", "scrypt$x$8$1$AAAA$AAAA", "scrypt$1024$8$1$!!!$AAAA"]
        let cheap = try await DedicatedThread.run { try PasswordHash.make("correct horse", cost: 10) }
        let (stored, again, right, wrong, acceptedMalformed) = try await DedicatedThread.run {
            let stored = try PasswordHash.make("correct horse")
            return (
                stored, try PasswordHash.make("correct horse"), PasswordHash.check("correct horse", against: stored),
                PasswordHash.check("correct horsf", against: stored),
                malformed.filter { PasswordHash.check("correct horse", against: $0) }
            )
        }
        #expect(stored.hasPrefix("scrypt$32768$8$1$"))
        #expect(!stored.contains("correct horse"))
        #expect(right)
        #expect(!wrong)
        #expect(again != stored, "each hash has its own salt")
        #expect(acceptedMalformed.isEmpty)
        // Each hash says its own cost, so hashes made at another cost still check.
        #expect(cheap.hasPrefix("scrypt$1024$8$1$"))
        #expect(try await DedicatedThread.run { PasswordHash.check("correct horse", against: cheap) })
    }

    @Test func slugsAreTheDemos() {
        #expect(Slug.make(from: "Crème Brûlée, 2 ways") == "creme-brulee-2-ways")
        #expect(Slug.make(from: "  Hello,   World!  ") == "hello-world")
        #expect(Slug.make(from: "snake_case stays") == "snake_case-stays")
        #expect(Slug.make(from: "日本語") == "entry")
        #expect(Slug.make(from: "!!!") == "entry")
        #expect(Slug.make(from: String(repeating: "a", count: 300)).count == 100)
    }
}

/// `blog serve` as a real process, used by a person in headless Chromium.
@Suite struct BlogBrowserTests {
    @Test(.timeLimit(.minutes(3)))
    func anAuthorsFirstVisitInChromium() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let blog = try ExampleProcess(
            "blog", ["serve", "--port", "0", "--address", "127.0.0.1", "--database", directory.path + "/blog.sqlite"],
            directory: URL(fileURLWithPath: directory.path), environment: ["BLOG_COOKIE_SECRET": "test"])
        let port = try #require(await blog.servingPort(), "\(blog.printed)")
        let (status, output) = try await runPythonScript("blog_browser.py", port: port)
        #expect(status == 0, "\(output)")
        #expect(await blog.stop() == 0, "\(blog.printed)")
    }
}
