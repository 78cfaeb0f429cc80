import Gale

/// The start-up check of the synchronous gateways (FastCGI, CGI): every route whose handler
/// needs something the gateway does not offer, and why.
///
/// Tornado's old WSGI adapter only failed at request time ("request did not finish
/// synchronously"); failing at start-up, naming each route, is the point. A handler states
/// what it needs (`RequestHandler.requirements`); a gateway states what it offers; new
/// runtime features join `HandlerRequirements` without any change here.
public struct SynchronousModeCheck: Sendable {
    /// One route the gateway cannot serve.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        /// The route's pattern.
        public var pattern: String
        /// The handler class's name.
        public var handler: String
        /// What it needs that the gateway lacks.
        public var missing: HandlerRequirements

        public var description: String {
            "\(pattern) -> \(handler): needs \(missing.descriptions.joined(separator: " and "))"
        }
    }

    /// What the gateway offers; the synchronous gateways offer none of the async features.
    public var offered: HandlerRequirements

    /// A check for a gateway offering `offered`.
    public init(offered: HandlerRequirements = []) {
        self.offered = offered
    }

    /// Every route of `application` this gateway cannot serve, in route order: the routes for
    /// any host, each virtual host's (`host-pattern /path`), the default handler, and the
    /// routes of applications a `FallbackHandler` hands requests to (`/path -> /inner`).
    public func refusals(for application: Application) -> [Refusal] {
        application.routeTable().compactMap { pattern, type in
            let missing = type.requirements.subtracting(offered)
            return missing.isEmpty
                ? nil : Refusal(pattern: pattern, handler: String(describing: type), missing: missing)
        }
    }

    /// The start-up error message for `refusals`, naming each route and the way out.
    public static func message(for refusals: [Refusal], mode: String) -> String {
        "\(mode) cannot serve \(refusals.count) route(s) of this application:\n"
            + refusals.map { "  \($0)" }.joined(separator: "\n")
            + "\nServe them with Gale's own server (serve), or start with --serve-rest to answer them 501."
    }
}
