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
        // Tornado 6.6's check: no control character, space, `;` or DEL in an attribute.
        for attribute in [options.domain, options.path, options.sameSite].compactMap({ $0 })
        where attribute.utf8.contains(where: { $0 <= 0x20 || $0 == UInt8(ascii: ";") || $0 == 0x7F }) {
            throw ProgrammerError("Invalid cookie attribute \(attribute.debugDescription)")
        }
        newCookies.removeAll { $0.hasPrefix("\(name)=") }
        newCookies.append(options.setCookieValue(name: name, value: value, now: HTTPDate.nowSeconds()))
    }

    /// Deletes cookie `name` in the client: sets it empty, expiring a year ago. Tornado 6.3+:
    /// `clear_cookie(name, **kwargs)`, which takes `set_cookie`'s attributes but `expires` and
    /// `max_age`. The browser deletes only the cookie set with the same `path` and `domain`;
    /// a `sameSite: "None"` cookie also needs `secure: true` to be cleared (browsers refuse
    /// `SameSite=None` without `Secure`). What is sent is Tornado's, byte for byte:
    /// `name=""; expires=<a year ago>; Path=/`, with no `Max-Age`.
    public func clearCookie(
        _ name: String, path: String = "/", domain: String? = nil, secure: Bool = false, sameSite: String? = nil,
        httpOnly: Bool = false, partitioned: Bool = false
    ) throws(ProgrammerError) {
        let yearAgo = HTTPDate.nowSeconds() - 365 * 86_400
        let options = CookieOptions(
            domain: domain, path: path, expires: yearAgo, httpOnly: httpOnly, secure: secure, sameSite: sameSite,
            partitioned: partitioned)
        try setCookie(name, "", options)
    }

    /// Deletes every cookie the request sent, in the order it sent them, each with
    /// `clearCookie` and these attributes. Tornado: `clear_all_cookies(**kwargs)`, deprecated
    /// in 6.3: only the names are known, so a cookie set with another path, domain or
    /// `SameSite`/`Secure` survives. Prefer `clearCookie` one cookie at a time.
    public func clearAllCookies(
        path: String = "/", domain: String? = nil, secure: Bool = false, sameSite: String? = nil,
        httpOnly: Bool = false, partitioned: Bool = false
    ) throws(ProgrammerError) {
        var seen: Set<String> = []
        for header in request.headers.values(for: "Cookie") {
            for (name, _) in CookieParser.parse(header) where !name.isEmpty && seen.insert(name).inserted {
                try clearCookie(
                    name, path: path, domain: domain, secure: secure, sameSite: sameSite, httpOnly: httpOnly,
                    partitioned: partitioned)
            }
        }
    }
}
