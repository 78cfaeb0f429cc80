import Gale
import GaleTesting
import Testing

final class CookieHandler: RequestHandler {
    override func get() throws {
        switch request.path {
        case "/read":
            try write(cookies.keys.sorted().map { "\($0)=\(cookies[$0] ?? "")" }.joined(separator: "&"))
        case "/set":
            try setCookie("plain", "v1")
            try setCookie(
                "full", "has;semi,comma\"quote",
                CookieOptions(
                    domain: "example.com", path: "/app", expires: 0, maxAge: 60, httpOnly: true,
                    secure: true, sameSite: "Lax"))
            try setCookie("plain", "v2")
        case "/clear":
            try clearCookie("gone")
        case "/clear-full":
            try clearCookie(
                "s", path: "/app", domain: "example.com", secure: true, sameSite: "None", httpOnly: true)
        case "/clear-all":
            try clearAllCookies(path: "/x", secure: true)
        case "/clear-bad":
            var refused: [String] = []
            do { try clearCookie("a b") } catch { refused.append("name") }
            do { try clearCookie("a", path: "/x;evil") } catch { refused.append("path") }
            do { try clearCookie("a", domain: "example.com; Secure") } catch { refused.append("domain") }
            do { try clearCookie("a", sameSite: "None\r\nX-Injected: 1") } catch { refused.append("samesite") }
            do { try setCookie("a", "x", CookieOptions(path: "/a b")) } catch { refused.append("space") }
            do { try setCookie("a", "x", CookieOptions(domain: "a\u{7F}")) } catch { refused.append("del") }
            try clearCookie("kept")
            try write(refused.joined(separator: ","))
        case "/bad":
            var refused: [String] = []
            do { try setCookie("a b", "x") } catch { refused.append("name") }
            do { try setCookie("a", "x y") } catch { refused.append("space") }
            do { try setCookie("a", "x\r\ny") } catch { refused.append("crlf") }
            do { try setCookie("a", "x", CookieOptions(path: "/;evil")) } catch { refused.append("attr") }
            try write(refused.joined(separator: ","))
        default:
            throw HTTPError(404)
        }
    }
}

@Suite struct CookieTests {
    let app = Application([try! URLSpec("/.*", CookieHandler.self)]).quiet()

    @Test(arguments: TestMode.allCases)
    func readsCookiesIncludingPythonQuotedValues(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let response = try await client.get(
                "/read", headers: ["Cookie": #"a=1; b="x=y"; c="semi\073colon\054comma \"q\""; d=; e=2"#])
            #expect(response.text == #"a=1&b=x=y&c=semi;colon,comma "q"&d=&e=2"#)
        }
    }

    @Test(arguments: TestMode.allCases)
    func setCookieWithEveryAttribute(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let response = try await client.get("/set")
            let cookies = response.headers.values(for: "Set-Cookie")
            #expect(cookies.count == 2)
            #expect(
                cookies.contains(
                    #"full="has\073semi\054comma\"quote"; Domain=example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Max-Age=60; Path=/app; SameSite=Lax; Secure"#
                ))
            #expect(cookies.contains("plain=v2; Path=/"))
        }
    }

    @Test func quotedCookiesRoundTrip() async throws {
        try await app.test(.inMemory) { client async throws in
            let set = try await client.get("/set")
            let full = set.headers.values(for: "Set-Cookie").first { $0.hasPrefix("full=") } ?? ""
            // The quoted value runs from after `full=` to the first `; ` after its closing quote.
            let quoted = full.dropFirst("full=".count).split(separator: "; Domain=").first.map(String.init) ?? ""
            #expect(quoted.hasPrefix("\"") && quoted.hasSuffix("\""))
            let read = try await client.get("/read", headers: ["Cookie": "full=\(quoted)"])
            #expect(read.text == #"full=has;semi,comma"quote"#)
        }
    }

    /// Tornado 6.6's `clear_cookie`, byte for byte: an empty value (quoted, as Python writes it)
    /// expiring a year ago, no `Max-Age`, and the attributes given passed through.
    @Test(arguments: TestMode.allCases)
    func clearCookieSendsWhatTornadoSends(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let plain = try #require(try await client.get("/clear").headers["Set-Cookie"])
            let match = try #require(plain.wholeMatch(of: /gone=""; expires=([^;]+); Path=\//))
            let expires = try #require(HTTPDate.parse(String(match.1)))
            #expect(abs(expires - (HTTPDate.nowSeconds() - 365 * 86_400)) < 60)

            let full = try #require(try await client.get("/clear-full").headers["Set-Cookie"])
            #expect(full.hasPrefix(#"s=""; Domain=example.com; expires="#))
            #expect(full.hasSuffix("GMT; HttpOnly; Path=/app; SameSite=None; Secure"))
        }
    }

    @Test(arguments: TestMode.allCases)
    func clearAllCookiesClearsEachSentCookieInOrder(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let response = try await client.get("/clear-all", headers: ["Cookie": "b=1; a=2; c=3; a=4"])
            let cookies = response.headers.values(for: "Set-Cookie")
            #expect(cookies.map { $0.prefix(while: { $0 != "=" }) } == ["b", "a", "c"])
            #expect(cookies.allSatisfy { $0.hasSuffix("GMT; Path=/x; Secure") && !$0.contains("Max-Age") })
            #expect(try await client.get("/clear-all").headers["Set-Cookie"] == nil)
        }
    }

    @Test(arguments: TestMode.allCases)
    func clearCookieRefusesWhatSetCookieRefuses(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let response = try await client.get("/clear-bad")
            #expect(response.text == "name,path,domain,samesite,space,del")
            #expect(response.headers["X-Injected"] == nil)
            #expect(response.headers.values(for: "Set-Cookie").map { $0.prefix(6) } == [#"kept=""#])
        }
    }

    @Test func unsafeCookiesAreRefused() async throws {
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/bad")
            #expect(response.text == "name,space,crlf,attr")
            #expect(response.headers["Set-Cookie"] == nil)
        }
    }
}
