import Foundation
import Gale
import GaleServer
import GaleTesting
import Logging
import Testing

/// HTTP/2 over TLS (ALPN `h2`), serving the very handlers HTTP/1.1 serves, against curl.
@Suite struct HTTP2Tests {
    @Test func http2ServesTheSameHandlers() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        defer { server.stop() }

        let page = try await curlTLS(files, port: port, "/", ["--http2"])
        #expect(page.version == "2", "\(page.stderr)")
        #expect(page.text == "Hello, world")
        // HTTP/2 carries no connection-specific fields (RFC 9113 §8.2.2); the rest arrive.
        #expect(page.headers["connection"] == nil)
        #expect(page.headers["content-length"] == "12")
        #expect(page.headers["date"] != nil)
        let info = try await curlTLS(files, port: port, "/info", ["--http2"])
        let fields = try JSONDecoder().decode([String: String].self, from: Data(info.body))
        #expect(fields["protocol"] == "https")
        #expect(fields["version"] == "HTTP/2.0")

        // A POST body larger than HTTP/2's initial flow-control window (64 KiB).
        let body = String(repeating: "0123456789abcdef", count: 20_000)
        try files.directory.write("body.txt", body)
        let upload = "@" + files.path + "/body.txt"
        let echo = try await curlTLS(files, port: port, "/echo", ["--http2", "--data-binary", upload])
        #expect(echo.version == "2")
        #expect(echo.text == "\(body.utf8.count):\(body)")
        // Flushed responses, from a plain handler and from an async one.
        #expect(try await curlTLS(files, port: port, "/stream", ["--http2"]).text == "abc")
        let streamed = try await curlTLS(files, port: port, "/astream", ["--http2"])
        #expect(streamed.text == "xyz")
        #expect(streamed.version == "2")
        // Errors are the same pages.
        #expect(try await curlTLS(files, port: port, "/nowhere", ["--http2"]).status == 404)
        // Over the body limit: 413 from Content-Length, before the body is read.
        var small = HTTPServer.Configuration(
            sslOptions: TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        small.maxBodySize = 1000
        let limited = HTTPServer(try makeTLSTestApp(), configuration: small)
        try await limited.bind(0, address: "127.0.0.1")
        try limited.start()
        defer { limited.stop() }
        let tooLarge = try await curlTLS(
            files, port: limited.ports.first ?? 0, "/echo", ["--http2", "--data-binary", upload])
        #expect(tooLarge.status == 413)
    }

    @Test func manyStreamsShareOneConnection() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        defer { server.stop() }
        // Thirty requests multiplexed at once on one connection, slow ones among them: each
        // answer arrives whole, to its own request.
        var arguments = ["--http2", "--parallel", "--parallel-max", "30"]
        for index in 0..<30 {
            arguments += [
                "-o", "/dev/null", index % 3 == 0 ? "https://localhost:\(port)/slow?50" : "https://localhost:\(port)/",
            ]
        }
        arguments += ["-w", "%{http_version} %{http_code} %{num_connects}\\n"]
        let outcome = try await ChildProcess(
            "/usr/bin/curl", ["-sS", "--max-time", "30", "--cacert", files.certificate] + arguments
        ).run()
        let lines = outcome.text.split(separator: "\n")
        #expect(outcome.status == 0, "\(outcome.errorText)")
        #expect(lines.count == 30)
        #expect(lines.allSatisfy { $0.hasPrefix("2 200 ") })
        // One new connection in all; the rest ride on it.
        let connects: [Int] = lines.map { line in Int(line.split(separator: " ").last ?? "") ?? -1 }
        #expect(connects.reduce(0, +) == 1)
    }

    @Test func gracefulShutdownFinishesInFlightStreams() async throws {
        let files = try await TLSFiles.make()
        let gate = Gate()
        // A grace period far past the bound below: ending under the bound means the connection
        // drained, whatever the whole suite's load does to the loops meanwhile.
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(gate: gate), TLSOptions(certificateFile: files.certificate, keyFile: files.key)
        ) { $0.shutdownGracePeriod = .seconds(120) }
        let inFlight = Task { try await curlTLS(files, port: port, "/gated", ["--http2"]) }
        // Under the whole suite's load a TLS handshake and a curl start can take seconds.
        #expect(await gate.events(atLeast: 1, timeout: .seconds(30)) == ["waiting"])

        async let shutdown: Void = server.shutdown()
        // The stream in flight is let finish (the connection got GOAWAY, not a reset).
        try await Task.sleep(for: .milliseconds(200))
        gate.open()
        let answer = try await inFlight.value
        #expect(answer.version == "2", "\(answer.stderr)")
        #expect(answer.text == "passed")
        let started = ContinuousClock.now
        await shutdown
        // Ended as the connection drained, not at the grace period's end.
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(!gate.events.contains("cancelled"))
        let refused = try await curlTLS(files, port: port, "/", ["--http2"])
        #expect(refused.exitCode != 0)
    }

    @Test func http2IsNotOfferedWhenTurnedOff() async throws {
        let files = try await TLSFiles.make()
        let (server, port) = try await startTLSServer(
            try makeTLSTestApp(), TLSOptions(certificateFile: files.certificate, keyFile: files.key, http2: false))
        defer { server.stop() }
        let page = try await curlTLS(files, port: port, "/", ["--http2"])
        #expect(page.version == "1.1")
        #expect(page.text == "Hello, world")
    }

    @Test func aWebSocketRouteOverHTTP2IsRefusedWithoutHarm() async throws {
        let files = try await TLSFiles.make()
        let app = Application(
            [try URLSpec("/socket", WelcomeSocket.self)] + (try makeTLSTestApp()).handlers
        ).withLogLevel(.critical)
        let (server, port) = try await startTLSServer(
            app, TLSOptions(certificateFile: files.certificate, keyFile: files.key))
        defer { server.stop() }
        // HTTP/2 has no Upgrade (RFC 8441's extended CONNECT is not offered): a plain GET
        // reaches the route and is refused as Tornado refuses one over HTTP/1.1.
        let refused = try await curlTLS(files, port: port, "/socket", ["--http2"])
        #expect(refused.version == "2")
        #expect(refused.status == 400)
        #expect(try await curlTLS(files, port: port, "/", ["--http2"]).text == "Hello, world")
    }
}
