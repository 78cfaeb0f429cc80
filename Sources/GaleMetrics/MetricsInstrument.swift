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

    public func requestStarted(_ handler: RequestHandler) -> (any Sendable)? {
        let meter = series.inFlight(route: handler.routePattern ?? "", method: Self.methodLabel(handler.request.method))
        meter.increment()
        return meter
    }

    public func requestEnded(_ end: RequestEnd, state: (any Sendable)?) {
        (state as? Meter)?.decrement()
        let finished = series.finished(
            route: end.routePattern ?? "", method: Self.methodLabel(end.method), statusClass: end.statusClass)
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

/// The metric objects per label set, made once each: looking one up in a dictionary costs far
/// less than asking the factory, which builds and registers a new handler.
final class MetricSeries: Sendable {
    struct FinishedKey: Hashable {
        var route: String
        var method: String
        var statusClass: String
    }

    struct InFlightKey: Hashable {
        var route: String
        var method: String
    }

    struct Finished: Sendable {
        let requests: Counter
        let duration: Timer
    }

    private let factory: any MetricsFactory
    private let dimensions: [(String, String)]
    private let finishedSeries = Mutex<[FinishedKey: Finished]>([:])
    private let inFlightSeries = Mutex<[InFlightKey: Meter]>([:])

    init(factory: any MetricsFactory, dimensions: [(String, String)]) {
        self.factory = factory
        self.dimensions = dimensions
    }

    func finished(route: String, method: String, statusClass: String) -> Finished {
        let key = FinishedKey(route: route, method: method, statusClass: statusClass)
        return finishedSeries.withLock { series in
            if let found = series[key] { return found }
            let labels = [("method", method), ("route", route), ("status", statusClass)] + dimensions
            let made = Finished(
                requests: Counter(label: MetricsInstrument.requestsLabel, dimensions: labels, factory: factory),
                duration: Timer(label: MetricsInstrument.durationLabel, dimensions: labels, factory: factory))
            series[key] = made
            return made
        }
    }

    func inFlight(route: String, method: String) -> Meter {
        let key = InFlightKey(route: route, method: method)
        return inFlightSeries.withLock { series in
            if let found = series[key] { return found }
            let labels = [("method", method), ("route", route)] + dimensions
            let made = Meter(label: MetricsInstrument.inFlightLabel, dimensions: labels, factory: factory)
            series[key] = made
            return made
        }
    }
}
