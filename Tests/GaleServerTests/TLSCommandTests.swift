import ArgumentParser
import Foundation
import Gale
import GaleCommand
import GaleServer
import GaleTesting
import Testing

/// `serve --certfile PATH --keyfile PATH`, as Tornado's demos take them, end to end.
@Suite struct TLSCommandTests {
    @Test func certfileAndKeyfileBecomeSSLOptions() throws {
        let parsed = try GaleCommand<DemoApp>.parseAsRoot(["--certfile", "/c.pem", "--keyfile", "/k.pem"])
        let serve = try #require(parsed as? GaleCommand<DemoApp>.Serve)
        let options = try #require(serve.server.configuration.sslOptions)
        #expect(options.certificateFile == "/c.pem")
        #expect(options.keyFile == "/k.pem")
        #expect(options.http2)
        #expect(options.clientCertificates == .none)
        // The key may be in the certificate file; a key alone names no certificate.
        let alone = try GaleCommand<DemoApp>.parseAsRoot(["serve", "--certfile", "/both.pem"])
        #expect((alone as? GaleCommand<DemoApp>.Serve)?.server.configuration.sslOptions?.keyFile == nil)
        #expect(throws: (any Error).self) { try GaleCommand<DemoApp>.parseAsRoot(["--keyfile", "/k.pem"]) }
        let plain = try GaleCommand<DemoApp>.parseAsRoot([]) as? GaleCommand<DemoApp>.Serve
        #expect(plain?.server.configuration.sslOptions == nil)
    }

    @Test func friendFeedServesHTTPSAndHTTP2() async throws {
        let files = try await TLSFiles.make()
        let app = try ExampleProcess(
            "friendfeed",
            ["serve", "--port", "0", "--certfile", files.certificate, "--keyfile", files.key],
            directory: URL(fileURLWithPath: files.path))
        let port = try #require(await app.servingPort(), "no serving line in: \(app.printed)")
        #expect(app.printed.contains("serving on https://127.0.0.1:\(port)/"))
        for (flag, version) in [("--http2", "2"), ("--http1.1", "1.1")] {
            let whoami = try await curlTLS(files, port: port, "/whoami", [flag])
            #expect(whoami.version == version, "\(whoami.stderr)")
            #expect(whoami.text.contains(#""protocol": "https""#))
            let robots = try await curlTLS(files, port: port, "/robots.txt", [flag])
            #expect(robots.text.contains("Disallow: /login"))
        }
        // Plain HTTP to the HTTPS port: refused, one log line, and the server serves on.
        #expect(try await curl([], "http://127.0.0.1:\(port)/whoami").status == 0)
        #expect(await app.waitForOutput(containing: "a plain HTTP request was sent to the HTTPS port"))
        #expect(try await curlTLS(files, port: port, "/whoami").status == 200)
        #expect(await app.stop() == 0)
    }

    /// A WebSocket over TLS (`wss://`): the upgrade runs on an HTTP/1.1 TLS connection as on a
    /// plain one. Python's `websockets` client, on the Chat example.
    @Test(.timeLimit(.minutes(1)))
    func chatWebSocketsOverTLS() async throws {
        let files = try await TLSFiles.make()
        let chat = try ExampleProcess(
            "chat", ["serve", "--port", "0", "--certfile", files.certificate, "--keyfile", files.key])
        let port = try #require(await chat.servingPort(), "\(chat.printed)")
        let script = """
            import asyncio, json, ssl, sys, websockets
            async def main():
                context = ssl.create_default_context(cafile=sys.argv[1])
                async with websockets.connect(f"wss://localhost:{sys.argv[2]}/chatsocket", ssl=context) as socket:
                    await socket.send(json.dumps({"body": "over wss"}))
                    print(json.loads(await asyncio.wait_for(socket.recv(), 20))["body"])
            asyncio.run(main())
            """
        let python = try await ChildProcess(
            "/usr/bin/env", ["python3", "-c", script, files.certificate, String(port)]
        ).run()
        #expect(python.status == 0, "\(python.errorText)")
        #expect(python.text == "over wss\n")
        #expect(await chat.stop() == 0)
    }

    @Test func aMissingKeyFileStopsServeWithItsName() async throws {
        let files = try await TLSFiles.make()
        let missing = files.path + "/nope.pem"
        let app = try ExampleProcess(
            "friendfeed", ["serve", "--port", "0", "--certfile", files.certificate, "--keyfile", missing],
            directory: URL(fileURLWithPath: files.path))
        let status = await app.stop(signal: 0, timeout: .seconds(20))
        #expect(status != nil && status != 0)
        #expect(app.printed.contains("cannot read the TLS private key file \(missing): No such file or directory"))
        #expect(!app.printed.contains("serving on"))
    }
}
