import GaleTesting
import Testing

@testable import Gale

/// Behaviours where an earlier Gale differed from Tornado 6 (found in review, checked against
/// Tornado 6.6).
@Suite struct TornadoParityTests {
    @Test func alternationPatternsMatchEveryBranch() async throws {
        let app = try Application([(#"/login|/signin"#, PlainHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            #expect(try await client.get("/login").text == "plain")
            #expect(try await client.get("/signin").text == "plain")
        }
    }

    @Test func reverseKeepsUnescapedLiteralCharacters() throws {
        let app = Application([
            try URLSpec("/feed.xml", PlainHandler.self, name: "feed"),
            try URLSpec(#"/a/(\d+).json"#, EchoArgsHandler.self, name: "json"),
        ])
        #expect(try app.reverseURL("feed") == "/feed.xml")
        #expect(try app.reverseURL("json", "5") == "/a/5.json")
    }

    @Test func multipartEmptyFilenameIsAnArgumentAndFilenameStarIsDecoded() async throws {
        let body = [
            "--b", #"Content-Disposition: form-data; name="title"; filename="""#, "", "",
            "--b", #"Content-Disposition: form-data; name="upload"; filename*=UTF-8''caf%C3%A9.txt"#, "", "x",
            "--b--", "",
        ].joined(separator: "\r\n")
        let app = Application([try URLSpec("/.*", ArgumentsHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let response = try await client.post(
                "/files", headers: ["Content-Type": "multipart/form-data; boundary=b"], body: Array(body.utf8))
            #expect(response.text == "upload:café.txt:application/unknown:x\ntitle=")
        }
    }

    @Test func invalidUTF8InAFormBodyIs400() async throws {
        let app = Application([try URLSpec("/.*", ArgumentsHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let response = try await client.post(
                "/body", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: [0x6E, 0x61, 0x6D, 0x65, 0x3D, 0xE9])
            #expect(response.status == 400)
            #expect(response.reason == "Invalid unicode in name")
        }
    }

    @Test func automaticEtagAnd304() async throws {
        let app = try Application([("/", PlainHandler.self)]).quiet()
        try await app.test(.inMemory) { client async throws in
            let first = try await client.get("/")
            // Tornado's is '"%s"' % sha1(b"plain").hexdigest(); Gale's is xxhash.xxh64(b"plain").
            #expect(first.headers["Etag"] == #""1b15430fe799b91a""#)
            let again = try await client.get("/", headers: ["If-None-Match": first.headers["Etag"] ?? ""])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(again.headers["Content-Type"] == nil)
            #expect(try await client.get("/", headers: ["If-None-Match": #"W/"other", *"#]).status == 304)
            #expect(try await client.get("/", headers: ["If-None-Match": #""other""#]).status == 200)
        }
    }

    @Test func hostileDatesAreRejectedNotTrapped() {
        #expect(HTTPDate.parse("Sun, 06 Nov 99999999999999999 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 0 08:49:37 GMT") == nil)
    }

    @Test func cookieOctalEscapesFollowPython() {
        #expect(CookieParser.unquote(#""\477""#) == "477")
        #expect(CookieParser.unquote(#""\073\054""#) == ";,")
    }
}
