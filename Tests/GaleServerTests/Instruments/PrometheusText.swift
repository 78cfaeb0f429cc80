import Foundation
import GaleTesting
import Testing

/// Prometheus's text exposition format as the Prometheus project's Python client parses it
/// (`prometheus_client.parser.text_string_to_metric_families`): a malformed exposition fails
/// the parse, so the test fails.
struct PrometheusText {
    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample]

    static func parse(_ text: String) async throws -> PrometheusText {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """
        var command = ChildProcess("/usr/bin/env", ["python3", "-c", script])
        command.input = Data(text.utf8)
        let parsed = try await command.run()
        guard parsed.status == 0 else {
            throw ParseFailure(
                description: "prometheus_client could not parse the exposition: \(parsed.errorText)\n\(text)")
        }
        return PrometheusText(samples: try JSONDecoder().decode([Sample].self, from: parsed.output))
    }

    /// The value of the one sample named `name` with exactly `labels`; `nil` if there is none.
    func value(_ name: String, _ labels: [String: String]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var description: String
    }
}

@Suite struct PrometheusTextTests {
    @Test func aMalformedExpositionFailsTheParse() async {
        await #expect(throws: PrometheusText.ParseFailure.self) {
            try await PrometheusText.parse("# TYPE x counter\nx{a=\"1\" 3\n")
        }
    }
}
