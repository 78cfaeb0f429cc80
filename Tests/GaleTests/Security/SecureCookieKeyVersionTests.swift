import GaleTesting
import Testing

@testable import Gale

/// Says which key version signed the `user` cookie (or `?value`), `nil` as "none".
final class KeyVersionHandler: RequestHandler {
    override func get() throws {
        let value = request.query.isEmpty ? nil : URLEncoding.decodeString(request.query)
        try write(try getSecureCookieKeyVersion("user", value: value).map(String.init) ?? "none")
    }
}

@Suite struct SecureCookieKeyVersionTests {
    static let versions = [1: "an old secret", 2: "the new secret"]

    func app(_ settings: Settings) -> Application {
        Application([try! URLSpec("/", KeyVersionHandler.self)], settings: settings).quiet()
    }

    @Test(arguments: TestMode.allCases)
    func saysWhichKeySignedTheCookie(mode: TestMode) async throws {
        let rotated = app(Settings(cookieSecretVersions: Self.versions, keyVersion: 2))
        let old = try #require(SigningKeys(versions: Self.versions, current: 1))
        let oldCookie = SignedValue.create(secret: old, name: "user", value: Array("bob".utf8))
        try await rotated.test(mode) { client async throws in
            #expect(try await client.get("/", headers: ["Cookie": "user=\(oldCookie)"]).text == "1")
            #expect(try await client.get("/?" + URLEncoding.encode(oldCookie)).text == "1")
            #expect(try await client.get("/").text == "none")  // no cookie
        }
        let single = app(Settings(cookieSecret: "one secret"))
        let singleCookie = SignedValue.create(secret: SigningKeys("one secret"), name: "user", value: [0x41])
        let version1 = SignedValue.create(secret: SigningKeys("one secret"), name: "user", value: [0x41], version: 1)
        try await single.test(mode) { client async throws in
            #expect(try await client.get("/", headers: ["Cookie": "user=\(singleCookie)"]).text == "0")
            #expect(try await client.get("/", headers: ["Cookie": "user=\(version1)"]).text == "none")
        }
    }

    @Test(arguments: TestMode.allCases)
    func malformedCookiesHaveNoVersionAndNoSecretIsAnError(mode: TestMode) async throws {
        try await app(Settings(cookieSecret: "one secret")).test(mode) { client async throws in
            for value in ["2|", "2|1:", "garbage", "2|99999999999999999999999:1|", "2|1:9|1:1|1:u|1:v"] {
                #expect(try await client.get("/?" + URLEncoding.encode(value)).text == "none", "\(value)")
            }
        }
        let sink = LogSink()
        try await app(Settings()).capturingLogs(into: sink).test(mode) { client async throws in
            #expect(try await client.get("/").status == 500)
        }
        #expect(sink.messages.contains { $0.contains("You must define the 'cookie_secret' setting") })
    }

    /// `get_signature_key_version` in Tornado 6.6.1 on the same strings.
    @Test func keyVersionParsesAsTornadoDoes() {
        let tornado: [(String, Int?)] = [
            ("2|1:7|10:1700000000|4:user|4:Ym9i|bad", 7),  // the signature is not checked
            ("2|", nil), ("2|1:", nil), ("2|1:3|", nil), ("2|1:3|1:1|1:u|1:v", nil), ("2|1:3|1:1|1:u|1:v|", 3),
            ("2|x:3|1:1|1:u|1:v|s", nil), ("2|2:3|1:1|1:u|1:v|s", nil), ("2|1:a|1:1|1:u|1:v|s", nil),
            ("2|-1:|1:1|1:u|1:v|s", nil), ("3|1:5|1:1|1:u|1:v|s", 5), ("12|1:5|1:1|1:u|1:v|s", nil),
            ("2|01:5|1:1|1:u|1:v|s", 5), ("2|1:+|1:1|1:u|1:v|s", nil), ("2|2:+5|1:1|1:u|1:v|s", 5), ("", nil),
            ("garbage", nil), ("Ym9i|1796414734|2069f18f56fd51814331ff7d0c70cc4756a7a454", nil),
        ]
        for (value, version) in tornado {
            #expect(SignedValue.keyVersion(of: value) == version, "\(value)")
        }
    }
}
