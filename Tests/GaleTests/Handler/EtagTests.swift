import Gale
import GaleTesting
import Synchronization
import Testing

/// Each path shows one use of the Etag pieces: a fixed tag, none, an early 304, a tag set by
/// hand, and a broken tag.
final class EtagHandler: RequestHandler {
    override class var supportedMethods: [String] { ["GET", "POST"] }

    override func computeEtag() -> String? {
        switch request.path {
        case "/none": nil
        case "/fixed", "/early": #""v1""#
        case "/broken": "\"v1\"\r\nX-Injected: 1"
        default: super.computeEtag()
        }
    }

    override func get() throws {
        if request.path == "/early" {
            // Tornado's documented early check: answer 304 before doing the work.
            try setEtagHeader()
            if checkEtagHeader() {
                try setStatus(304)
                return
            }
            try write("expensive")
            return
        }
        if request.path == "/preset" { try setHeader("Etag", #""mine""#) }
        try write("body")
    }

    override func post() throws { try write("posted") }
}

@Suite struct EtagTests {
    let app = Application([try! URLSpec("/.*", EtagHandler.self)]).quiet()

    @Test(arguments: TestMode.allCases)
    func computeEtagSetEtagHeaderAndCheckEtagHeader(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let fixed = try await client.get("/fixed")
            #expect(fixed.status == 200)
            #expect(fixed.headers["Etag"] == #""v1""#)
            #expect(try await client.get("/fixed", headers: ["If-None-Match": #""v1""#]).status == 304)
            #expect(try await client.get("/fixed", headers: ["If-None-Match": #"W/"v1""#]).status == 304)
            #expect(try await client.get("/fixed", headers: ["If-None-Match": #""v0", "v1""#]).status == 304)
            #expect(try await client.get("/fixed", headers: ["If-None-Match": #""v2""#]).status == 200)

            // `computeEtag()` returning nil: no Etag, so never a 304.
            let none = try await client.get("/none", headers: ["If-None-Match": "*"])
            #expect(none.status == 200)
            #expect(none.headers["Etag"] == nil)

            let early = try await client.get("/early", headers: ["If-None-Match": #""v1""#])
            #expect(early.status == 304)
            #expect(early.body.isEmpty)
            #expect(try await client.get("/early").text == "expensive")

            // A tag set by hand is kept, and `finish` does not compare it (as Tornado).
            let preset = try await client.get("/preset", headers: ["If-None-Match": #""mine""#])
            #expect(preset.status == 200)
            #expect(preset.headers["Etag"] == #""mine""#)

            let post = try await client.post("/fixed", headers: ["If-None-Match": #""v1""#])
            #expect(post.status == 200)
            #expect(post.headers["Etag"] == nil)
        }
    }

    @Test(arguments: TestMode.allCases)
    func badTagsAndConditionsAreHarmless(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let broken = try await client.get("/broken")
            #expect(broken.status == 500)
            #expect(broken.headers["X-Injected"] == nil)
            #expect(broken.headers["Etag"] == nil)
            for header in [#"""#, "W/", ",,,", #""v1"#, "v1"] {
                #expect(try await client.get("/fixed", headers: ["If-None-Match": header]).status == 200, "\(header)")
            }
        }
    }
}
