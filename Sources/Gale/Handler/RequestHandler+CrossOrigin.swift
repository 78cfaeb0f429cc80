extension RequestHandler {
    /// Why this request may not go on as a cross-origin request, or `nil` when it may: Tornado
    /// 6.6's algorithm (`_check_cross_origin`), for `crossOriginProtection` and WebSocket
    /// handshakes. `Sec-Fetch-Site: same-origin` or `none` passes. Without `Sec-Fetch-Site`
    /// (an older browser, plain HTTP, or no browser), no `Origin` passes, and an `Origin` whose
    /// host and port are the `Host` header's, or that `check` allows, passes. A `cross-site` or
    /// `same-site` request passes only when `check` allows its `Origin`. Beyond Tornado, a
    /// `ws://` or `wss://` origin counts as none: it is no browser page's (pages are `http(s)://`
    /// or `null`), and WebSocket clients such as swift-websocket's send one without the port.
    func crossOriginRefusal(origin: String? = nil, check: (String) -> Bool) -> String? {
        let origin = origin ?? request.headers["Origin"]
        switch request.headers["Sec-Fetch-Site"] {
        case "same-origin", "none":
            return nil
        case nil:
            guard let origin, !origin.hasPrefix("ws://"), !origin.hasPrefix("wss://") else { return nil }
            if originMatchesHost(origin) || check(origin) { return nil }
            return "Origin \(origin) not allowed"
        case let site?:
            if let origin, check(origin) { return nil }
            return "Sec-Fetch-Site \(site) & origin \(origin ?? "(none)") not allowed"
        }
    }

    /// Whether `origin`'s host and port (`scheme://host[:port]`) are the `Host` header's,
    /// ignoring case. Tornado: `_origin_matches_host`, which ignores the scheme too.
    func originMatchesHost(_ origin: String) -> Bool {
        let parts = origin.utf8.split(separator: UInt8(ascii: "/"), maxSplits: 3, omittingEmptySubsequences: false)
        // "scheme:", "", "host[:port]", then the path if any.
        guard parts.count >= 3, parts[0].last == UInt8(ascii: ":"), parts[1].isEmpty else { return false }
        return Substring(parts[2]).equalsIgnoringASCIICase(request.host)
    }
}
