import CoreMetrics
import Gale
import Synchronization

/// Counts and times every request through swift-metrics, by route pattern, method and status
/// class: whatever metrics backend the factory feeds (Prometheus with
/// `MetricsInstrument.prometheus(registry:)`, StatsD, OpenTelemetry...). Install it in
/// `Settings.instruments`:
///
/// ```swift
/// let registry = PrometheusCollectorRegistry()
/// let settings = Settings(instruments: [MetricsInstrument.prometheus(registry: registry)])
/// // and serve the registry: URLSpec("/metrics", PrometheusHandler.self, .init(registry: registry))
/// ```
///
/// Three series, named after OpenTelemetry's HTTP server metrics in Prometheus form:
/// - `http_server_requests_total` (a counter) and `http_server_request_duration_seconds` (a
///   timer: a histogram in Prometheus), with the dimensions `method`, `route` and `status`
///   (`"2xx"`...);
/// - `http_server_requests_in_flight` (a meter: a gauge), with `method` and `route`.
///
/// `route` is the route's pattern as written (`"/entry/([^/]+)"`), empty when no route matched;
/// `method` is one of the standard methods or `_OTHER`. Neither ever holds what a client
/// chose, so a client cannot grow the number of series. A request whose client left before
/// the answer counts with status 499, as nginx logs it. Beyond Tornado.
public struct MetricsInstrument: RequestInstrument {
    /// The request counter's name.
    public static let requestsLabel = "http_server_requests_total"
    /// The request duration timer's name.
    public static let durationLabel = "http_server_request_duration_seconds"
    /// The in-flight meter's name.
    public static let inFlightLabel = "http_server_requests_in_flight"

    private let series: MetricSeries

    /// Reports to `factory` (swift-metrics' bootstrapped one unless given), adding
    /// `dimensions` to every series (a `("task", "2")` for one of several processes, say).
    public init(factory: any MetricsFactory = MetricsSystem.factory, dimensions: [(String, String)] = []) {
        series = MetricSeries(factory: factory, dimensions: dimensions)
    }

    public func requestStarted(_ handler: RequestHandler) -> (any AnyObject & Sendable)? {
        let route = series.route(handler.routePattern ?? "", method: Self.methodLabel(handler.request.method))
        route.inFlight.increment()
        return route
    }

    public func requestEnded(_ end: RequestEnd, state: (any AnyObject & Sendable)?) {
        let route: RouteSeries
        if let started = state as? RouteSeries {
            started.inFlight.decrement()
            route = started
        } else {
            route = series.route(end.routePattern ?? "", method: Self.methodLabel(end.method))
        }
        let finished = route.finished(end)
        finished.requests.increment()
        let (seconds, attoseconds) = end.duration.components
        finished.duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// The method as a label: a standard one as sent, anything else `_OTHER` (OpenTelemetry's
    /// rule), so made-up methods cannot each make a series.
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE": method
        default: "_OTHER"
        }
    }
}

/// Every route's series, made once each: a dictionary lookup at a request's start costs far
/// less than asking the factory, which builds and registers a new handler.
final class MetricSeries: Sendable {
    struct Key: Hashable {
        var route: String
        var method: String
    }

    private let factory: any MetricsFactory
    private let dimensions: [(String, String)]
    private let routes = Mutex<[Key: RouteSeries]>([:])

    init(factory: any MetricsFactory, dimensions: [(String, String)]) {
        self.factory = factory
        self.dimensions = dimensions
    }

    func route(_ route: String, method: String) -> RouteSeries {
        routes.withLock { routes in
            let key = Key(route: route, method: method)
            if let found = routes[key] { return found }
            let made = RouteSeries(labels: [("method", method), ("route", route)] + dimensions, factory: factory)
            routes[key] = made
            return made
        }
    }
}

/// One route and method's series: its in-flight meter, and its counter and timer per status
/// class, reached by index when a request ends (it is the request's instrument state).
final class RouteSeries: Sendable {
    struct Finished: Sendable {
        let requests: Counter
        let duration: Timer
    }

    let inFlight: Meter
    private let labels: [(String, String)]
    private let factory: any MetricsFactory
    /// By status class: `1xx` at 0 to `5xx` at 4.
    private let finishedByClass = Mutex<[Finished?]>(Array(repeating: nil, count: 5))

    init(labels: [(String, String)], factory: any MetricsFactory) {
        self.labels = labels
        self.factory = factory
        inFlight = Meter(label: MetricsInstrument.inFlightLabel, dimensions: labels, factory: factory)
    }

    func finished(_ end: RequestEnd) -> Finished {
        let index = end.statusClassDigit - 1
        return finishedByClass.withLock { series in
            if let found = series[index] { return found }
            var labels = labels
            labels.insert(("status", end.statusClass), at: 2)
            let made = Finished(
                requests: Counter(label: MetricsInstrument.requestsLabel, dimensions: labels, factory: factory),
                duration: Timer(label: MetricsInstrument.durationLabel, dimensions: labels, factory: factory))
            series[index] = made
            return made
        }
    }
}
