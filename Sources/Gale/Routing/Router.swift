/// Finds the route for a path: the first pattern, in order, that matches the whole path.
///
/// Tornado: `Application.find_handler` over the default host's rules.
struct Router: Sendable {
    let specs: [URLSpec]
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

    init(_ specs: [URLSpec]) {
        self.specs = specs
        var named: [String: Int] = [:]
        for (index, spec) in specs.enumerated() {
            if let name = spec.name, named[name] == nil { named[name] = index }
        }
        self.named = named
    }

    func match(_ path: String) -> Match? {
        // By index, so each candidate is borrowed rather than copied (fields retained).
        for index in specs.indices {
            if let found = specs[index].compiled.match(path) {
                return Match(
                    factory: specs[index].factory, index: index, positional: found.positional, named: found.named)
            }
        }
        return nil
    }

    /// Compiles every pattern's regex ahead of the first request.
    func compile() {
        for spec in specs { spec.compiled.compile() }
    }

    func spec(named name: String) -> URLSpec? {
        named[name].map { specs[$0] }
    }
}
