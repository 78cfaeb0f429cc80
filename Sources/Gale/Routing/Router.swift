/// Finds the route for a request: the first pattern, in order, that matches the whole path,
/// among the routes for the request's host.
///
/// Tornado: `Application.find_handler` over `default_router` (the host groups of
/// `add_handlers`, then the routes for any host, then the default host's groups). An
/// application without host groups matches the path alone and never looks at the host.
struct Router: Sendable {
    /// Every route: those for any host first, then each host group's, in the order added.
    /// `Match.index` points into it.
    let specs: [URLSpec]
    /// How many of `specs`, from the start, are for any host.
    private let anyHostCount: Int
    /// The groups `Application.addHandlers` added, in order.
    let hostGroups: [HostGroup]
    private let named: [String: Int]

    /// A route match: how to make its handler, which route it is (an index into `specs`, so
    /// the error page can name its pattern without a copy per request), and the raw
    /// (percent-encoded) captures.
    struct Match {
        var factory: HandlerFactory
        var index: Int
        var positional: [Substring?]
        var named: [String: Substring?]
    }

    /// Routes for the hosts a pattern matches. Tornado: a `Rule(HostMatches(pattern), ...)`.
    struct HostGroup: Sendable {
        let pattern: HostPattern
        /// The group's routes in `specs`.
        let range: Range<Int>
        /// Whether the pattern matches the `defaultHost` setting: the group then also serves
        /// requests for hosts no group matches, unless they came through a proxy (Tornado:
        /// `DefaultHostMatches`).
        let matchesDefaultHost: Bool
    }

    init(_ specs: [URLSpec]) {
        self.init(specs: specs, anyHostCount: specs.count, hostGroups: [])
    }

    private init(specs: [URLSpec], anyHostCount: Int, hostGroups: [HostGroup]) {
        self.specs = specs
        self.anyHostCount = anyHostCount
        self.hostGroups = hostGroups
        // Tornado's `reverse_url` looks in the host groups, in order, before the routes for any
        // host; within a list the first route with a name keeps it.
        var named: [String: Int] = [:]
        for index in hostGroups.flatMap({ $0.range }) + Array(0..<anyHostCount) {
            if let name = specs[index].name, named[name] == nil { named[name] = index }
        }
        self.named = named
    }

    /// This router with a host group after the others. Tornado: `Application.add_handlers`.
    func addingHostGroup(_ pattern: HostPattern, _ routes: [URLSpec], defaultHost: String?) -> Router {
        let group = HostGroup(
            pattern: pattern, range: specs.count..<(specs.count + routes.count),
            matchesDefaultHost: defaultHost.map(pattern.matches) ?? false)
        return Router(specs: specs + routes, anyHostCount: anyHostCount, hostGroups: hostGroups + [group])
    }

    /// The routes for any host.
    var anyHostSpecs: ArraySlice<URLSpec> { specs[0..<anyHostCount] }

    /// The routes of host group `group`.
    func specs(of group: HostGroup) -> ArraySlice<URLSpec> { specs[group.range] }

    /// The first route matching `path` among those for the request's host: the groups whose
    /// pattern matches the host (its `Host` header, `host()`, lower-cased and without its
    /// port; `127.0.0.1` when absent), in order; then the routes for any host; then the groups
    /// matching the `defaultHost` setting, unless the request has an `X-Real-Ip` header
    /// (`hasRealIP()`), which says it came through a proxy. Each group that matches the host
    /// but not the path passes to the next, as in Tornado. Without groups, `host` and
    /// `hasRealIP` are never called.
    func match(_ path: String, host: () -> String?, hasRealIP: () -> Bool) -> Match? {
        if hostGroups.isEmpty { return match(path, in: 0..<anyHostCount) }
        let hostName = HostPattern.hostName(host() ?? "127.0.0.1")
        for group in hostGroups where group.pattern.matches(hostName) {
            if let found = match(path, in: group.range) { return found }
        }
        if let found = match(path, in: 0..<anyHostCount) { return found }
        if hostGroups.contains(where: \.matchesDefaultHost) && !hasRealIP() {
            for group in hostGroups where group.matchesDefaultHost {
                if let found = match(path, in: group.range) { return found }
            }
        }
        return nil
    }

    private func match(_ path: String, in range: Range<Int>) -> Match? {
        // By index, so each candidate is borrowed rather than copied (fields retained).
        for index in range {
            if let found = specs[index].compiled.match(path) {
                return Match(
                    factory: specs[index].factory, index: index, positional: found.positional, named: found.named)
            }
        }
        return nil
    }

    /// Compiles every pattern's regex ahead of the first request, fallback applications' too.
    func compile() {
        for spec in specs {
            spec.compiled.compile()
            spec.factory.fallback?.compileRoutes()
        }
        for group in hostGroups { group.pattern.compile() }
    }

    func spec(named name: String) -> URLSpec? {
        named[name].map { specs[$0] }
    }
}
