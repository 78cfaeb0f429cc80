import Gale
import Prometheus

/// Serves a Prometheus registry in the text exposition format, for a Prometheus server to
/// scrape. Opt in by routing to it, where only your monitoring reaches (a path the proxy in
/// front does not pass on, or an `allow`/`deny` in its config):
///
/// ```swift
/// try URLSpec("/metrics", PrometheusHandler.self, .init(registry: registry))
/// ```
///
/// With several processes (`--processes`) each worker has its own registry and answers for
/// itself: add a `("task", ...)` dimension (`MetricsInstrument.prometheus(registry:dimensions:)`)
/// and scrape each worker, or sum in PromQL. Beyond Tornado.
public final class PrometheusHandler: RequestHandler, InitializableHandler {
    /// The registry to serve.
    public struct InitializeArguments: Sendable {
        /// What the metrics were registered in (`PrometheusMetricsFactory(registry:)`).
        public var registry: PrometheusCollectorRegistry

        /// Serves `registry`.
        public init(registry: PrometheusCollectorRegistry) {
            self.registry = registry
        }
    }

    /// The exposition format's media type, version 0.0.4.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    override public class var supportedMethods: [String] { ["GET", "HEAD"] }

    private var registry: PrometheusCollectorRegistry?

    public func initialize(_ arguments: InitializeArguments) {
        registry = arguments.registry
    }

    override public func get() throws {
        var body: [UInt8] = []
        registry?.emit(into: &body)
        try setHeader("Content-Type", Self.contentType)
        try setHeader("Cache-Control", "no-store")
        try write(body)
    }
}

extension MetricsInstrument {
    /// The request duration histogram's buckets for `prometheus(registry:)`: from 0.5 ms, since
    /// most answers of a Gale server take well under the 5 ms where swift-prometheus's defaults
    /// start, to 10 s.
    public static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// An instrument that reports into `registry` (served by `PrometheusHandler`), with
    /// `durationBuckets` for the duration histogram, and without touching swift-metrics'
    /// process-wide factory.
    public static func prometheus(
        registry: PrometheusCollectorRegistry, dimensions: [(String, String)] = []
    ) -> MetricsInstrument {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[durationLabel] = durationBuckets
        return MetricsInstrument(factory: factory, dimensions: dimensions)
    }
}
