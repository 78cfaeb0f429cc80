extension RequestHandler {
    /// The signed-in user, from `getCurrentUser()`, asked once per request. Tornado:
    /// `current_user`.
    public var currentUser: TemplateValue? {
        get throws {
            if let cached = currentUserCache { return cached }
            let user = try getCurrentUser()
            currentUserCache = .some(user)
            return user
        }
    }

    /// Sets the user for the rest of the request (after a sign-in, say). Tornado:
    /// `self.current_user = ...`.
    public func setCurrentUser(_ user: TemplateValue?) {
        currentUserCache = .some(user)
    }

    /// Whether there is a signed-in user; if not, GET and HEAD are redirected to the login page
    /// with `next=<this URL>` (absolute when the login URL is) and other methods get 403.
    /// Tornado: `@tornado.web.authenticated`. Use it per method:
    ///
    /// ```swift
    /// override func post() throws {
    ///     guard try authenticated() else { return }
    ///     ...
    /// }
    /// ```
    public func authenticated() throws -> Bool {
        if try currentUser?.isTruthy == true { return true }
        guard request.method == "GET" || request.method == "HEAD" else {
            throw HTTPError(
                403, logMessage: "\(request.method) \(request.path) needs a signed-in user (authenticated())")
        }
        var url = try getLoginURL()
        if !url.contains("?") {
            let next = Self.hasScheme(url) ? request.fullURL : request.uri
            url += "?next=" + URLEncoding.encode(next)
        }
        try redirect(url)
        return false
    }

    /// `candidate` if it is a path on this site, else `fallback`: never `//host`, `/\host`,
    /// `scheme:...`, or anything but printable ASCII (percent-encode the rest), so a `next`
    /// argument cannot send a user to another site after signing in (an open redirect).
    public func localRedirectTarget(_ candidate: String?, fallback: String = "/") -> String {
        // Bytes, not Characters: `/` followed by an invisible combining mark is a different
        // Character, but browsers drop the mark and read `//host`. Printable ASCII only.
        guard let candidate else { return fallback }
        let bytes = Array(candidate.utf8)
        guard bytes.first == UInt8(ascii: "/"),
            bytes.count == 1 || (bytes[1] != UInt8(ascii: "/") && bytes[1] != UInt8(ascii: "\\")),
            bytes.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return fallback }
        return candidate
    }

    private static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            && scheme.first?.isLetter == true
    }
}
