/// Redirects every GET of its route to another URL. Tornado: `tornado.web.RedirectHandler`.
///
/// ```swift
/// try URLSpec("/oldpath", RedirectHandler.self, .init(url: "/newpath"))                // 301
/// try URLSpec("/(.*?)/(.*?)/(.*)", RedirectHandler.self, .init(url: "/{1}/{0}/{2}"))  // /a/b/c -> /b/a/c
/// try URLSpec("/user/(?P<id>[0-9]+)", RedirectHandler.self, .init(url: "/people/{id}", permanent: false))
/// ```
///
/// The `url` is formatted as Python's `str.format` with the route's captures, decoded
/// (`pathArgs` by number, `{}` in order, `pathKwargs` by name; an unmatched optional group is
/// `""` where Tornado writes `None`). The request's query arguments are added to its query, as
/// Tornado 5+ does (`httputil.url_concat`): grouped by name in the order each first appears,
/// encoded again, after the url's own. Only GET is answered; other methods get 405.
///
/// As in Tornado 6.6, what comes from the request cannot change where the redirect goes: when
/// the scheme or host (user info, host, port) of the result differs from that of the `url`'s
/// text before its first field (`/{0}/b` asked for `/%2Fexample.com` would be
/// `//example.com/b`, another site), or the url's scheme is `http`/`https` and its host comes
/// from a field, the answer is 400; so is a result holding a control character. A query with
/// a malformed `%` escape is 400 too (Tornado passes it on as it is; Gale's arguments are
/// strict everywhere), and a query name that is not ASCII keeps its UTF-8 (Tornado sends it
/// mangled through Latin-1).
public final class RedirectHandler: RequestHandler, InitializableHandler {
    /// What the route passes. Tornado: `dict(url=..., permanent=True)`.
    public struct InitializeArguments: Sendable {
        /// The target, with `{0}`, `{}` or `{name}` fields for the route's captures (`{{` and
        /// `}}` for braces).
        public let url: String
        /// 301 when `true` (Tornado's default), else 302.
        public let permanent: Bool
        let template: RedirectTemplate

        /// Redirects to `url`. Throws for a field Gale cannot fill: a lone `{` or `}`, `{}`
        /// mixed with `{0}`, or a conversion, format spec or attribute (`{0!r}`, `{0:>5}`,
        /// `{0.x}`), which Python's `str.format` would take.
        public init(url: String, permanent: Bool = true) throws(ProgrammerError) {
            self.url = url
            self.permanent = permanent
            self.template = try RedirectTemplate(url)
        }
    }

    private var target: InitializeArguments?

    /// Takes the target.
    public func initialize(_ arguments: InitializeArguments) {
        target = arguments
    }

    override public class var supportedMethods: [String] { ["GET"] }

    /// Redirects to the formatted `url` with the request's query arguments.
    override public func get() throws {
        guard let target else { throw ProgrammerError("RedirectHandler needs InitializeArguments(url:)") }
        var url = try target.template.format(pathArgs, pathKwargs)
        let query = try queryArguments()
        if !query.isEmpty { url = RedirectTemplate.concat(url, query) }
        guard Self.keepsSchemeAndHost(url, of: target.template) else {
            throw HTTPError(400, logMessage: "Redirect URL cannot change the scheme or netloc")
        }
        if url.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            throw HTTPError(400, logMessage: "Redirect URL contains invalid characters")
        }
        try redirect(url, permanent: target.permanent)
    }

    /// The query's arguments grouped by name, names in the order each first appears.
    /// Tornado: `qs_to_qsl(request.query_arguments)`.
    private func queryArguments() throws(HTTPError) -> [(String, [UInt8])] {
        let query = request.query
        guard !query.isEmpty else { return [] }
        let pairs: [(String, [UInt8])]
        do {
            pairs = try URLEncoding.parseForm(query.utf8)
        } catch {
            throw HTTPError(400, reason: "Malformed percent-encoding in query", logMessage: "\(error)")
        }
        var names: [String] = []
        var values: [String: [[UInt8]]] = [:]
        for (name, value) in pairs {
            if values[name] == nil { names.append(name) }
            values[name, default: []].append(value)
        }
        return names.flatMap { name in (values[name] ?? []).map { (name, $0) } }
    }

    /// Whether `url` goes to the scheme and host that `template` names before its first field.
    static func keepsSchemeAndHost(_ url: String, of template: RedirectTemplate) -> Bool {
        do {
            let expected = try BrowserURL.schemeAndNetloc(template.prefix)
            if template.hasSubstitution && (expected.scheme == "http" || expected.scheme == "https")
                && expected.netloc.isEmpty
            {
                return false  // the host would come from a field
            }
            return try BrowserURL.schemeAndNetloc(url) == expected
        } catch {
            return false
        }
    }
}
