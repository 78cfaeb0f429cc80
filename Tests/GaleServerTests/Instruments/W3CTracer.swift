import InMemoryTracing
import Tracing
import W3CTraceContext

/// A tracer that propagates W3C trace context (`traceparent`), as an OpenTelemetry tracer
/// does, and keeps its spans in memory: swift-distributed-tracing's `InMemoryTracer` with W3C
/// identifiers, and swift-otel's W3C parser for the header.
struct W3CTracer: Tracer {
    let spans = InMemoryTracer(
        idGenerator: .init(
            nextTraceID: { TraceID.random().description },
            nextSpanID: { SpanID.random().description }))

    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> InMemorySpan {
        spans.startSpan(
            operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID,
            line: line)
    }

    func forceFlush() {}

    func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        guard let header = extractor.extract(key: "traceparent", from: carrier),
            let parent = try? TraceContext(traceParentHeaderValue: header)
        else { return }
        context.inMemorySpanContext = InMemorySpanContext(
            traceID: parent.traceID.description, spanID: parent.spanID.description, parentSpanID: nil)
    }

    func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        guard let span = context.inMemorySpanContext else { return }
        injector.inject("00-\(span.traceID)-\(span.spanID)-01", forKey: "traceparent", into: &carrier)
    }
}
