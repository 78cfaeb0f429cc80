import Logging

extension RequestHandler {
    /// The XSRF token for forms and `X-XSRFToken` headers, masked afresh for each request;
    /// sets the `_xsrf` cookie when the request had no valid one. Tornado: `xsrf_token`.
    public var xsrfToken: String {
        get throws {
            if let xsrfTokenCache { return xsrfTokenCache }
            let raw = rawXSRFToken
            let mask = XSRFToken.randomBytes(4)
            let settings = application.settings
            let encoded = raw.encoded(version: settings.xsrfCookieVersion, mask: mask)
            xsrfTokenCache = encoded
            if raw.version == nil {
                var options = settings.xsrfCookieOptions
                if options.expiresDays == nil, try currentUser?.isTruthy == true { options.expiresDays = 30 }
                try setCookie(settings.xsrfCookieName, encoded, options)
            }
            return encoded
        }
    }

    /// `<input type="hidden" name="_xsrf" value="...">` for a form. Tornado: `xsrf_form_html()`.
    public func xsrfFormHTML() throws -> String {
        #"<input type="hidden" name="_xsrf" value=""# + Escape.xhtmlEscape(try xsrfToken) + #""/>"#
    }

    /// The token behind the cookie (or a new one when there is no valid cookie), read once.
    var rawXSRFToken: XSRFToken {
        if let rawXSRFTokenCache { return rawXSRFTokenCache }
        let now = HTTPDate.nowSeconds()
        let token =
            getCookie(application.settings.xsrfCookieName).flatMap { XSRFToken.decode($0, now: now) }
            ?? XSRFToken.random(now: now)
        rawXSRFTokenCache = token
        return token
    }

    /// Tornado's `check_xsrf_cookie`, which `checkXSRFCookie()` runs unless overridden.
    public func defaultCheckXSRFCookie() throws {
        // Empty values count as absent, as Python's `or` treats them.
        let submitted = [
            try getArgument("_xsrf", default: nil), request.headers["X-Xsrftoken"], request.headers["X-Csrftoken"],
        ].lazy.compactMap { $0 }.first { !$0.isEmpty }
        guard let submitted else {
            throw HTTPError(403, reason: "'_xsrf' argument missing from \(request.method)")
        }
        guard let token = XSRFToken.decode(submitted, now: HTTPDate.nowSeconds()), !token.token.isEmpty else {
            throw HTTPError(403, reason: "'_xsrf' argument has invalid format")
        }
        guard SignedValue.constantTimeEqual(token.token, rawXSRFToken.token) else {
            application.logger.debug(
                "XSRF token refused for \(request.method) \(request.path): it does not match the cookie")
            throw HTTPError(403, reason: "XSRF cookie does not match \(request.method) argument")
        }
    }
}
