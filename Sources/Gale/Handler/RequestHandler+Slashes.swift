extension RequestHandler {
    /// Whether the path ends in `/`; if not, GET and HEAD are redirected (301) to the path with
    /// a `/` added, query kept, and other methods get 404. Tornado: `@tornado.web.addslash`.
    /// For every call of a method, list it in `addSlashMethods`; for one method only, call
    /// this at its top:
    ///
    /// ```swift
    /// override func get() throws {
    ///     guard try addSlash() else { return }
    ///     ...
    /// }
    /// ```
    ///
    /// A path that would redirect to another host (`//example.com`) gets 403, as in Tornado 6.6.
    public func addSlash() throws -> Bool {
        let path = request.path
        if path.hasSuffix("/") { return true }
        guard request.method == "GET" || request.method == "HEAD" else { throw HTTPError(404) }
        return try redirectKeepingQuery(to: path + "/")
    }

    /// Whether the path has no trailing `/`; if it has, GET and HEAD are redirected (301) to the
    /// path without its trailing slashes, query kept, and other methods get 404; `/` itself
    /// passes. Tornado: `@tornado.web.removeslash`. List the methods in `removeSlashMethods`,
    /// or call this at the top of one (as `addSlash()`).
    public func removeSlash() throws -> Bool {
        let path = request.path
        guard path.hasSuffix("/") else { return true }
        guard request.method == "GET" || request.method == "HEAD" else { throw HTTPError(404) }
        var end = path.endIndex
        while end > path.startIndex, path[path.index(before: end)] == "/" { end = path.index(before: end) }
        let trimmed = String(path[..<end])
        // Checked before the empty case, in Tornado's order.
        if BrowserURL.isProtocolRelative(trimmed) {
            throw HTTPError(403, logMessage: "cannot redirect path with two initial slashes")
        }
        guard !trimmed.isEmpty else { return true }  // `/` is not redirected to ``
        return try redirectKeepingQuery(to: trimmed)
    }

    /// Runs the slash checks of `addSlashMethods` and `removeSlashMethods` for this request's
    /// method; `false` when the request was answered (redirected).
    func passesSlashChecks() throws -> Bool {
        // `isEmpty` first: most handlers list no method, and hashing the method costs more.
        let removing = Self.removeSlashMethods
        if !removing.isEmpty && removing.contains(request.method), try !removeSlash() { return false }
        let adding = Self.addSlashMethods
        if !adding.isEmpty && adding.contains(request.method), try !addSlash() { return false }
        return true
    }

    /// A permanent redirect to `path` with the request's query, refusing (403) a path a browser
    /// would read as another host's.
    private func redirectKeepingQuery(to path: String) throws -> Bool {
        if BrowserURL.isProtocolRelative(path) {
            throw HTTPError(403, logMessage: "cannot redirect path with two initial slashes")
        }
        let query = request.query
        let target = query.isEmpty ? path : path + "?" + query
        try redirect(target, permanent: true)
        return false
    }
}
