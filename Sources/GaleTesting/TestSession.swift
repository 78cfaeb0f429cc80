import Gale
import Synchronization

/// A ``TestClient`` that keeps the cookies the application sets and sends them back, as a
/// browser does, and fills in a form's `_xsrf` field from the XSRF cookie: a sign-in, then the
/// pages a signed-in user sees, in a few lines.
///
/// ```swift
/// try await app.test(mode) { client in
///     let browser = TestSession(client)
///     _ = try await browser.get("/login")                    // sets the _xsrf cookie
///     _ = try await browser.post("/login", form: [("name", "ada")])  // sets the user cookie
///     #expect(try await browser.get("/").text.contains("ada"))
/// }
/// ```
///
/// Cookies are kept by name only (no domain, path or expiry checks); a `Set-Cookie` with an
/// empty value, or `Max-Age=0`, removes one, as `clearCookie` does.
public final class TestSession: Sendable {
    /// The client the requests go through.
    public let client: TestClient
    private let jar = Mutex<[(name: String, value: String)]>([])

    /// A session with no cookies yet.
    public init(_ client: TestClient) {
        self.client = client
    }

    /// The value the application last set for cookie `name`, as the session sends it back.
    public func cookie(_ name: String) -> String? {
        jar.withLock { cookies in cookies.first { $0.name == name }?.value }
    }

    /// Sends a request with the session's cookies, and keeps the cookies its response sets.
    public func execute(
        _ method: String, _ uri: String, headers: HTTPHeaders = [:], body: [UInt8] = []
    ) async throws -> TestResponse {
        var sent = headers
        let cookies = jar.withLock { $0 }
        if !cookies.isEmpty && !sent.contains("Cookie") {
            sent.add("Cookie", cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await client.execute(method, uri, headers: sent, body: body)
        keep(response.headers.values(for: "Set-Cookie"))
        return response
    }

    /// Sends a GET.
    public func get(_ uri: String, headers: HTTPHeaders = [:]) async throws -> TestResponse {
        try await execute("GET", uri, headers: headers)
    }

    /// Sends a urlencoded form, with `_xsrf` taken from the XSRF cookie when the form has no
    /// such field and the session has the cookie (`xsrfCookieName` when it is not `_xsrf`).
    public func post(
        _ uri: String, form: [(String, String)], headers: HTTPHeaders = [:], xsrfCookieName: String = "_xsrf"
    ) async throws -> TestResponse {
        var fields = form
        if !fields.contains(where: { $0.0 == "_xsrf" }), let token = cookie(xsrfCookieName) {
            fields.append(("_xsrf", token))
        }
        let (formHeaders, body) = TestClient.formRequest(fields, headers: headers)
        return try await execute("POST", uri, headers: formHeaders, body: body)
    }

    /// Stores or removes each cookie a response's `Set-Cookie` headers name.
    private func keep(_ headers: [String]) {
        for header in headers {
            let attributes = header.split(separator: ";").map { $0.trimmingPrefix(" ") }
            guard let pair = attributes.first, let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            let removed =
                value.isEmpty || value == "\"\""
                || attributes.dropFirst().contains { $0.lowercased() == "max-age=0" }
            jar.withLock { cookies in
                cookies.removeAll { $0.name == name }
                if !removed { cookies.append((name, value)) }
            }
        }
    }
}
