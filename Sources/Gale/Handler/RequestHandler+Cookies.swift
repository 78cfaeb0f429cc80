extension RequestHandler {
    /// The request's cookies by name. Tornado: `self.cookies`.
    public var cookies: [String: String] {
        if let cookiesCache { return cookiesCache }
        let parsed = request.cookies
        cookiesCache = parsed
        return parsed
    }

    /// The value of cookie `name`, or `defaultValue`. Tornado: `get_cookie(name, default=None)`.
    public func getCookie(_ name: String, default defaultValue: String? = nil) -> String? {
        cookies[name] ?? defaultValue
    }

    /// Sets a cookie on the response. Tornado: `set_cookie(name, value, ...)`.
    /// Names and values with control characters, spaces or (in the name) separators are
    /// refused, as Tornado refuses them.
    public func setCookie(_ name: String, _ value: String, _ options: CookieOptions = CookieOptions())
        throws(ProgrammerError)
    {
        guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
            throw ProgrammerError("Invalid cookie name \(name.debugDescription)")
        }
        if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw ProgrammerError("Invalid cookie value for \(name): control characters and spaces are not allowed")
        }
        for attribute in [options.domain, options.path, options.sameSite].compactMap({ $0 })
        where attribute.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: ";") }) {
            throw ProgrammerError("Invalid cookie attribute \(attribute.debugDescription)")
        }
        newCookies.removeAll { $0.hasPrefix("\(name)=") }
        newCookies.append(options.setCookieValue(name: name, value: value, now: HTTPDate.nowSeconds()))
    }

    /// Deletes cookie `name` in the client (same `path` and `domain` as it was set with).
    /// Tornado: `clear_cookie(name, path="/", domain=None)`.
    public func clearCookie(_ name: String, path: String = "/", domain: String? = nil) throws(ProgrammerError) {
        let yearAgo = HTTPDate.nowSeconds() - 365 * 86_400
        try setCookie(name, "", CookieOptions(domain: domain, path: path, expires: yearAgo, maxAge: 0))
    }

    /// Deletes every cookie the request sent. Tornado: `clear_all_cookies`.
    public func clearAllCookies(path: String = "/", domain: String? = nil) throws(ProgrammerError) {
        for name in cookies.keys.sorted() where !name.isEmpty {
            try clearCookie(name, path: path, domain: domain)
        }
    }
}
