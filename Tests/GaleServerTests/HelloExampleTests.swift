import Foundation
import GaleTesting
import Testing

/// The `hello` example as a user runs it: a real process on an ephemeral port.
@Suite struct HelloExampleTests {
    @Test func answersLogsAndExitsCleanlyOnSignals() async throws {
        for signal in [SIGTERM, SIGINT] {
            let hello = try ExampleProcess("hello", ["--port", "0", "--logging", "info"])
            let port = try #require(await hello.servingPort(), "no serving line in: \(hello.printed)")

            let connection = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "Hello, world")
            connection.close()

            // The access log line has Tornado's shape: `200 GET / (127.0.0.1) 0.41ms`.
            #expect(await hello.waitForOutput(containing: "200 GET / (127.0.0.1) "))
            let line = hello.printed.split(separator: "\n").first { $0.contains("200 GET / (127.0.0.1)") } ?? ""
            #expect(line.wholeMatch(of: /.*200 GET \/ \(127\.0\.0\.1\) \d+\.\d\dms/) != nil, "\(line)")

            #expect(await hello.stop(signal: signal) == 0)
        }
    }

    @Test func badPortIsAClearError() async throws {
        let hello = try ExampleProcess("hello", ["--port", "not-a-number"])
        #expect(await hello.stop(signal: 0, timeout: .seconds(10)) != 0)
        #expect(hello.printed.contains("--port"))
    }
}
