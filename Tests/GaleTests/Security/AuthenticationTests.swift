import Foundation
import GaleTesting
import Testing

@testable import Gale

/// Signs in with a form (XSRF-checked), greets the signed-in user, refuses others.
final class SignInHandler: RequestHandler {
    override func get() throws {
        try write("<form method=post>\(try xsrfFormHTML())</form>")
    }

    override func post() throws {
        try setSecureCookie("user", try getArgument("name"))
        try redirect(localRedirectTarget(try getArgument("next", default: nil)))
    }
}

final class AccountHandler: RequestHandler {
    override class var authenticatedMethods: Set<String> { ["GET", "POST"] }

    override func getCurrentUser() throws -> TemplateValue? {
        try getSecureCookie("user").map(TemplateValue.string)
    }

    override func get() throws { try write("hello \(try currentUser?.text ?? "")") }
    override func post() throws { try write("posted") }
}

/// Only DELETE needs a user, checked inside the method.
final class ItemHandler: RequestHandler {
    override func getCurrentUser() throws -> TemplateValue? {
        try getSecureCookie("user").map(TemplateValue.string)
    }

    override func get() throws { try write("anyone") }
    override func delete() throws {
        guard try authenticated() else { return }
        try write("deleted")
    }
}

final class EchoSecureCookieHandler: RequestHandler {
    override func get() throws {
        try write(try getSecureCookie("user", maxAgeDays: 31) ?? "none")
    }
}

@Suite struct AuthenticationTests {
    func makeApp(loginURL: String = "/login") -> Application {
        Application(
            [
                try! URLSpec("/login", SignInHandler.self),
                try! URLSpec("/profile", AccountHandler.self),
                try! URLSpec("/item", ItemHandler.self),
                try! URLSpec("/echo", EchoSecureCookieHandler.self),
            ],
            settings: Settings(cookieSecret: "a long and random secret", loginURL: loginURL, xsrfCookies: true)
        ).quiet()
    }

    @Test(arguments: TestMode.allCases)
    func signInWithXSRFAndSecureCookie(mode: TestMode) async throws {
        try await makeApp().test(mode) { client async throws in
            // Without a user: GET redirects to the login page with next, POST is 403.
            let anonymous = try await client.get("/profile?tab=1")
            #expect(anonymous.status == 302)
            #expect(anonymous.headers["Location"] == "/login?next=%2Fprofile%3Ftab%3D1")
            let form = try await client.get("/login")
            let cookie = try #require(form.cookie("_xsrf"))
            let token = try #require(form.text.firstMatch(of: /name="_xsrf" value="([^"]+)"/)?.1)
            #expect(String(token) == cookie)  // a first visit: the new cookie is the token, as in Tornado
            let again = try await client.get("/login", headers: ["Cookie": "_xsrf=\(cookie)"])
            #expect(again.cookie("_xsrf") == nil)  // the cookie is kept ...
            let remasked = try #require(again.text.firstMatch(of: /name="_xsrf" value="([^"]+)"/)?.1)
            #expect(String(remasked) != cookie)  // ... and the form's token masked afresh
            #expect(
                try await client.post(
                    "/profile", form: [("_xsrf", String(token))], headers: ["Cookie": "_xsrf=\(cookie)"]
                ).status
                    == 403)

            // Sign in: the token from the form matches the cookie.
            let signIn = try await client.post(
                "/login", form: [("_xsrf", String(token)), ("name", "<Ann>"), ("next", "/profile")],
                headers: ["Cookie": "_xsrf=\(cookie)"])
            #expect(signIn.status == 302)
            #expect(signIn.headers["Location"] == "/profile")
            let user = try #require(signIn.cookie("user"))
            #expect(user.hasPrefix("\"2|1:0|10:"))  // Tornado's version 2, quoted as Python quotes it
            let profile = try await client.get("/profile", headers: ["Cookie": "user=\(user)"])
            #expect(profile.text == "hello <Ann>")
            // The header works instead of the form field.
            let posted = try await client.post(
                "/profile", headers: ["Cookie": "user=\(user); _xsrf=\(cookie)", "X-XSRFToken": String(token)])
            #expect(posted.text == "posted")
        }
    }

    @Test func xsrfRefusals() async throws {
        try await makeApp().test(.inMemory) { client async throws in
            let form = try await client.get("/login")
            let cookie = try #require(form.cookie("_xsrf"))
            let token = String(try #require(form.text.firstMatch(of: /value="([^"]+)"/)?.1))
            let other = try await client.get("/login")
            let otherToken = String(try #require(other.text.firstMatch(of: /value="([^"]+)"/)?.1))
            func post(_ fields: [(String, String)], cookie: String?) async throws -> TestResponse {
                try await client.post(
                    "/login", form: fields + [("name", "x")], headers: cookie.map { ["Cookie": "_xsrf=\($0)"] } ?? [:])
            }
            let missing = try await post([], cookie: cookie)
            #expect(missing.status == 403 && missing.reason == "'_xsrf' argument missing from POST")
            let malformed = try await post([("_xsrf", "2|zz|00|1")], cookie: cookie)
            #expect(malformed.reason == "'_xsrf' argument has invalid format")
            // Another visitor's token (replayed here) does not match this cookie.
            let replayed = try await post([("_xsrf", otherToken)], cookie: cookie)
            #expect(replayed.reason == "XSRF cookie does not match POST argument")
            // A valid-looking token with no cookie at all.
            #expect(try await post([("_xsrf", token)], cookie: nil).status == 403)
            // A forged cookie and token pair must agree: the attacker cannot set the cookie, so a
            // token alone fails, and both together from one visitor succeed.
            #expect(try await post([("_xsrf", token)], cookie: cookie).status == 302)
        }
    }

    @Test func perMethodAndAbsoluteLoginURL() async throws {
        try await makeApp(loginURL: "https://accounts.example/login").test(.inMemory) { client async throws in
            #expect(try await client.get("/item").text == "anyone")
            let redirect = try await client.get("/profile")
            #expect(
                redirect.headers["Location"] == "https://accounts.example/login?next=http%3A%2F%2F127.0.0.1%2Fprofile")
        }
        let app = Application(
            [try URLSpec("/item", ItemHandler.self)], settings: Settings(cookieSecret: "k", loginURL: "/login")
        ).quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.execute("DELETE", "/item").status == 403)
        }
    }

    @Test func openRedirectGuard() async throws {
        let handler = RequestHandler(application: makeApp(), request: ServerRequest(method: "GET", uri: "/"))
        for hostile in [
            "//evil.example", "https://evil.example", "/\\evil.example", "evil", "javascript:alert(1)", "/a\nb", "",
        ] {
            #expect(handler.localRedirectTarget(hostile) == "/", "\(hostile)")
        }
        #expect(handler.localRedirectTarget("/profile?tab=1") == "/profile?tab=1")
        #expect(handler.localRedirectTarget(nil, fallback: "/home") == "/home")
    }

    @Test func badCookiesAreRefusedCleanly() async throws {
        try await makeApp().test(.inMemory) { client async throws in
            let good = SignedValue.create(
                secret: SigningKeys("a long and random secret"), name: "user", value: Array("ann".utf8))
            #expect(try await client.get("/echo", headers: ["Cookie": "user=\"\(good)\""]).text == "ann")
            let bad = [
                "user=\"\(good.dropLast())\"", "user=\"\(good.replacingOccurrences(of: "YW5u", with: "Ym9i"))\"",
                "user=a;b", "user=a,b", "user=a b", "user=Zoë", "user=\"2|1:0|\"",
                "user=\(SignedValue.create(secret: SigningKeys("other"), name: "user", value: Array("ann".utf8)))",
                "user=\(SignedValue.create(secret: SigningKeys("a long and random secret"), name: "admin", value: Array("ann".utf8)))",
                "user=" + String(repeating: "A", count: 6000),
            ]
            for cookie in bad {
                let response = try await client.get("/echo", headers: ["Cookie": cookie])
                #expect(response.status == 200 && response.text == "none", "\(cookie.prefix(60))")
            }
            let expired = SignedValue.create(
                secret: SigningKeys("a long and random secret"), name: "user", value: Array("ann".utf8),
                now: HTTPDate.nowSeconds() - 40 * 86_400)
            #expect(try await client.get("/echo", headers: ["Cookie": "user=\"\(expired)\""]).text == "none")
        }
    }

    @Test func refusalsAreLoggedAtDebugLevelWithTheReason() async throws {
        let sink = LogSink()
        let keys = SigningKeys("a long and random secret")
        let good = SignedValue.create(secret: keys, name: "user", value: Array("ann".utf8))
        let cases: [(cookie: String, reason: String)] = [
            ("user=\"\(good.dropLast())\"", "invalid signature"),
            (
                "user=\"\(SignedValue.create(secret: keys, name: "admin", value: Array("a".utf8)))\"",
                "signed for another name"
            ),
            ("user=\"3|\(good.dropFirst(2))\"", "unknown signed value version 3"),
            (
                "user=\"\(SignedValue.create(secret: keys, name: "user", value: [0xff], now: HTTPDate.nowSeconds()))\"",
                "its value is not UTF-8"
            ),
        ]
        try await makeApp().capturingLogs(into: sink).test(.inMemory) { client async throws in
            for (cookie, _) in cases {
                #expect(try await client.get("/echo", headers: ["Cookie": cookie]).text == "none")
            }
            let form = try await client.get("/login")
            let xsrf = try #require(form.cookie("_xsrf"))
            _ = try await client.post(
                "/login", form: [("_xsrf", "2|00000000|00|1"), ("name", "x")], headers: ["Cookie": "_xsrf=\(xsrf)"])
        }
        for (_, reason) in cases {
            #expect(sink.messages.contains("debug secure cookie user refused: \(reason)"), "\(reason)")
        }
        #expect(sink.messages.contains { $0.hasPrefix("debug XSRF token refused for POST /login") })
    }

    /// Findings of the security review, each a regression test.
    @Test func reviewFindings() async throws {
        let handler = RequestHandler(application: makeApp(), request: ServerRequest(method: "GET", uri: "/"))
        for hostile in ["//\u{FE0F}evil.com/x", "/\\\u{FE0F}evil.com", "//\u{034F}evil.com", "/é", "/a b"] {
            #expect(handler.localRedirectTarget(hostile) == "/", "\(hostile.unicodeScalars.map(\.value))")
        }
        try await makeApp().test(.inMemory) { client async throws in
            // An empty _xsrf cookie is no cookie: a fresh one is set and the form works.
            let form = try await client.get("/login", headers: ["Cookie": "_xsrf="])
            let cookie = try #require(form.cookie("_xsrf"))
            #expect(!cookie.isEmpty)
            // An empty X-XSRFToken does not hide X-CSRFToken.
            let token = String(try #require(form.text.firstMatch(of: /value="([^"]+)"/)?.1))
            let posted = try await client.post(
                "/login", form: [("name", "x")],
                headers: ["Cookie": "_xsrf=\(cookie)", "X-XSRFToken": "", "X-CSRFToken": token])
            #expect(posted.status == 302)
        }
        // A mask must be 4 bytes; version 1 values are refused under versioned keys.
        #expect(XSRFToken.decode("2||6162|5", now: 0) == nil)
        #expect(XSRFToken.decode("2|0102030405|6162|5", now: 0) == nil)
        let rotated = try #require(SigningKeys(versions: [0: "a", 1: "b"], current: 1))
        let version1 = SignedValue.create(secret: SigningKeys("a"), name: "n", value: Array("x".utf8), version: 1)
        #expect((try? SignedValue.decode(secret: rotated, name: "n", value: version1).get()) == nil)
        // No key for the current version, or no keyVersion: nothing signs, nothing verifies.
        #expect(SigningKeys(versions: [1: "b"], current: 7) == nil)
        #expect(Settings(cookieSecret: "old", cookieSecretVersions: [1: "b"]).signingKeys == nil)
        // Huge numbers in the developer's hands do not trap.
        #expect((try? SignedValue.decode(secret: SigningKeys("a"), name: "n", value: version1, now: .max).get()) == nil)
        #expect(CookieOptions(expiresDays: 1e300).setCookieValue(name: "a", value: "b", now: 0).contains("expires="))
        #expect(CookieOptions(expiresDays: .nan).setCookieValue(name: "a", value: "b", now: 0).contains("expires="))
    }

    @Test func startupRefusesEmptyOrPlaceholderSecrets() throws {
        for secret in ["", Settings.placeholderCookieSecret] {
            let app = Application([URLSpec](), settings: Settings(cookieSecret: secret))
            #expect(throws: StartupError.self) { try app.checkStartup() }
            try Application([URLSpec](), settings: Settings(debug: true, cookieSecret: secret)).quiet().checkStartup()
        }
        let rotation = Application([URLSpec](), settings: Settings(cookieSecretVersions: [1: "a", 2: "b"]))
        #expect(throws: StartupError.self) { try rotation.checkStartup() }
        let placeholder = Application(
            [URLSpec](), settings: Settings(cookieSecretVersions: [1: Settings.placeholderCookieSecret], keyVersion: 1))
        #expect(throws: StartupError.self) { try placeholder.checkStartup() }
        try Application([URLSpec](), settings: Settings(cookieSecretVersions: [1: "a", 2: "b"], keyVersion: 2))
            .checkStartup()
    }
}
