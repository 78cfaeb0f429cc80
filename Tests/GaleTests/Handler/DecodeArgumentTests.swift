import Gale
import GaleTesting
import Synchronization
import Testing

/// Reads arguments as Latin-1, refuses the value `forbidden`, and reports every name its
/// `decodeArgument` was given (`-` for an unnamed group).
final class Latin1Handler: RequestHandler {
    private var names: [String] = []

    override func decodeArgument(_ value: [UInt8], name: String?) throws(HTTPError) -> String {
        names.append(name ?? "-")
        if value == Array("forbidden".utf8) { throw HTTPError(403, reason: "Forbidden \(name ?? "url")") }
        return String(String.UnicodeScalarView(value.map { Unicode.Scalar($0) }))
    }

    override func get() throws {
        let path = pathArgs.joined(separator: "|") + pathKwargs.sorted { $0.key < $1.key }.map { $0.value }.joined()
        let query = try getArguments("q").joined(separator: ",")
        try write("\(path) \(query) names=\(names.joined(separator: ","))")
    }
}

@Suite struct DecodeArgumentTests {
    let app: Application

    init() throws {
        app = Application([
            try URLSpec("/latin/(?P<word>[^/]*)", Latin1Handler.self),
            try URLSpec("/latin1/([^/]*)(/[a-z]+)?", Latin1Handler.self),
            try URLSpec("/utf8/([^/]*)", EchoArgsHandler.self),
            try URLSpec("/one", ArgumentsHandler.self),
        ]).quiet()
    }

    @Test(arguments: TestMode.allCases)
    func everyArgumentGoesThroughDecodeArgument(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            // Path captures, named and unnamed, and query arguments: all Latin-1 here.
            #expect(try await client.get("/latin1/%E9t%E9?q=caf%E9&q=x").text == "été| café,x names=-,q,q")
            #expect(try await client.get("/latin/na%EFve").text == "naïve  names=word")
            // An unmatched optional group is "" and is not decoded.
            #expect(try await client.get("/latin1/a").text == "a|  names=-")
            // The default is strict UTF-8.
            #expect(try await client.get("/utf8/%C3%A9t%C3%A9").text == "été")
        }
    }

    @Test(arguments: TestMode.allCases)
    func decodeArgumentRefusesWithItsOwnError(mode: TestMode) async throws {
        let sink = LogSink()
        try await app.capturingLogs(into: sink).test(mode) { client async throws in
            let path = try await client.get("/latin1/forbidden")
            #expect(path.status == 403)
            #expect(path.reason == "Forbidden url")
            let query = try await client.get("/latin1/ok?q=forbidden")
            #expect(query.status == 403)
            #expect(query.reason == "Forbidden q")

            // The default's 400s, with Tornado's wording.
            let badPath = try await client.get("/utf8/%FF%FEx")
            #expect(badPath.status == 400)
            #expect(badPath.reason == "Invalid unicode in url")
            let badArgument = try await client.get("/one?name=%C3%28")
            #expect(badArgument.status == 400)
            #expect(badArgument.reason == "Invalid unicode in name")
            #expect(try await client.get("/latin1/fine").status == 200)
        }
        // Tornado's log line: the name and the first 40 bytes as Python writes them.
        #expect(sink.messages.contains { $0.hasSuffix(#"Invalid unicode in url: b'\xff\xfex'"#) })
        #expect(sink.messages.contains { $0.hasSuffix(#"Invalid unicode in name: b'\xc3('"#) })
    }
}
