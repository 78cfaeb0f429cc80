import Gale
import Tracing

/// A swift-distributed-tracing span for every request: a server span named after the route
/// (`GET /entry/([^/]+)`), continuing the trace the request's headers carry (W3C `traceparent`
/// with an OpenTelemetry tracer, or whatever the tracer propagates), with OpenTelemetry's HTTP
/// attributes, and with its context current while the handler runs, so spans the handler
/// starts and requests it makes join the trace. Install it in `Settings.instruments`:
///
/// ```swift
/// let settings = Settings(instruments: [TracingInstrument()])  // InstrumentationSystem.tracer
/// ```
///
/// A span ends when the response is finished, or when its client leaves first (status 499).
/// A 5xx marks the span as an error. Beyond Tornado.
public struct TracingInstrument: RequestInstrument {
    private let tracer: any Tracer

    /// Traces with `tracer`; swift-distributed-tracing's bootstrapped one unless given.
    public init(tracer: any Tracer = InstrumentationSystem.tracer) {
        self.tracer = tracer
    }

    public func requestStarted(_ handler: RequestHandler) -> (any AnyObject & Sendable)? {
        let request = handler.request
        var context = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &context, using: HeadersExtractor())
        let route = handler.routePattern
        let span = tracer.startSpan(
            route.map { "\(request.method) \($0)" } ?? request.method, context: context, ofKind: .server)
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method
            attributes["url.path"] = request.path
            attributes["url.scheme"] = request.protocol
            if let route { attributes["http.route"] = route }
            if !request.query.isEmpty { attributes["url.query"] = request.query }
            attributes["server.address"] = request.hostName
            attributes["client.address"] = request.remoteIP
            attributes["network.protocol.version"] = Self.protocolVersion(request.version)
            if let agent = request.headers["User-Agent"] { attributes["user_agent.original"] = agent }
        }
        return SpanBox(span: span)
    }

    public func withRequest(_ state: (any AnyObject & Sendable)?, _ body: () -> Void) {
        guard let box = state as? SpanBox else { return body() }
        ServiceContext.withValue(box.span.context) { body() }
    }

    public func withRequest(_ state: (any AnyObject & Sendable)?, _ body: () async -> Void) async {
        guard let box = state as? SpanBox else { return await body() }
        await ServiceContext.withValue(box.span.context) { await body() }
    }

    public func requestEnded(_ end: RequestEnd, state: (any AnyObject & Sendable)?) {
        guard let span = (state as? SpanBox)?.span else { return }
        span.updateAttributes { attributes in
            attributes["http.response.status_code"] = end.status
            if !end.completed { attributes["gale.request.abandoned"] = true }
        }
        if end.status >= 500 {
            span.setStatus(SpanStatus(code: .error))
        }
        span.end()
    }

    /// `1.1` for `HTTP/1.1`, as OpenTelemetry writes it.
    static func protocolVersion(_ version: String) -> String {
        version.hasPrefix("HTTP/") ? String(version.dropFirst(5)) : version
    }
}

/// A request's span, kept between its start and its end.
final class SpanBox: Sendable {
    let span: any Span

    init(span: any Span) {
        self.span = span
    }
}

/// Reads propagated context from a request's headers (case-insensitively).
struct HeadersExtractor: Extractor {
    func extract(key: String, from carrier: HTTPHeaders) -> String? {
        carrier[key]
    }
}
