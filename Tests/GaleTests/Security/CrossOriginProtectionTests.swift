import Gale
import GaleTesting
import Logging
import Testing

/// Tornado 6.6's `cross_origin_protection`: a state-changing request that a browser says
/// comes from another origin is refused with 403, unless its origin is trusted. Each case
/// as Tornado 6.6.1 answers it.
@Suite struct CrossOriginProtectionTests {
    final class FormHandler: RequestHandler {
        override func get() throws { try write("read") }
        override func post() throws { try write("changed") }
        override func delete() throws { try write("deleted") }
    }

    /// Trusts every subdomain of example.com, as Tornado's docs suggest overriding it.
    final class SubdomainHandler: RequestHandler {
        override func checkTrustedOrigin(_ origin: String) -> Bool { origin.hasSuffix(".example.com") }
        override func post() throws { try write("changed") }
    }

    static func application(protection: Bool = true) throws -> Application {
        try Application(
            [URLSpec("/form", FormHandler.self), URLSpec("/sub", SubdomainHandler.self)],
            settings: Settings(crossOriginProtection: protection, trustedOrigins: ["https://partner.example"])
        ).withLogLevel(.critical)
    }

    @Test(
        arguments: [
            // Sec-Fetch-Site, Origin, expected status. The in-memory client's Host is 127.0.0.1.
            (nil, nil, 200),  // no browser
            ("same-origin", "https://evil.example", 200),  // the browser vouches for it
            ("none", nil, 200),  // typed into the address bar
            ("cross-site", "https://evil.example", 403),
            ("same-site", "https://other.127.0.0.1", 403),
            ("cross-site", nil, 403),
            ("cross-site", "https://partner.example", 200),  // trustedOrigins
            (nil, "http://127.0.0.1", 200),  // an older browser, its own page
            (nil, "https://evil.example", 403),
            (nil, "null", 403),
            (nil, "https://partner.example", 200),
            (nil, "ws://127.0.0.1", 200),  // a WebSocket client, no browser page
        ] as [(String?, String?, Int)])
    func statePostsAreCheckedAsTornadoChecksThem(site: String?, origin: String?, status: Int) async throws {
        var headers: HTTPHeaders = [:]
        if let site { headers.add("Sec-Fetch-Site", site) }
        if let origin { headers.add("Origin", origin) }
        let response = try await Self.application().test(.inMemory) { try await $0.post("/form", headers: headers) }
        #expect(response.status == status, "\(response.text)")
        if status == 200 { #expect(response.text == "changed") }
    }

    @Test func safeMethodsAndTheSettingOffAreNotChecked() async throws {
        let crossSite: HTTPHeaders = ["Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"]
        let read = try await Self.application().test(.inMemory) { try await $0.get("/form", headers: crossSite) }
        #expect(read.status == 200)
        let off = try await Self.application(protection: false).test(.inMemory) {
            try await $0.post("/form", headers: crossSite)
        }
        #expect(off.status == 200)
        let deleted = try await Self.application().test(.inMemory) {
            try await $0.execute("DELETE", "/form", headers: crossSite)
        }
        #expect(deleted.status == 403)
    }

    @Test func aHandlerCanTrustOriginsItself() async throws {
        let trusted = try await Self.application().test(.inMemory) {
            try await $0.post("/sub", headers: ["Sec-Fetch-Site": "same-site", "Origin": "https://a.example.com"])
        }
        #expect(trusted.status == 200)
        let other = try await Self.application().test(.inMemory) {
            try await $0.post("/sub", headers: ["Sec-Fetch-Site": "same-site", "Origin": "https://example.org"])
        }
        #expect(other.status == 403)
    }

    @Test(arguments: TestMode.allCases)
    func everyModeRefusesACrossSitePost(mode: TestMode) async throws {
        let status = try await Self.application().test(mode) {
            try await $0.post("/form", headers: ["Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"])
                .status
        }
        #expect(status == 403)
    }
}
