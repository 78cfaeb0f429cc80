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

    @Test func clearCookieExpiresIt() async throws {
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/clear")
            let cookie = response.headers["Set-Cookie"] ?? ""
            #expect(cookie.hasPrefix(#"gone=""; expires="#))  // Python quotes an empty value
            #expect(cookie.contains("Max-Age=0"))
            #expect(cookie.hasSuffix("Path=/"))
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
