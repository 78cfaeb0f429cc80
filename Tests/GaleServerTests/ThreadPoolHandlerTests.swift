import Dispatch
import Foundation
import Gale
import GaleServer
import GaleTesting
import Logging
import NIOCore
import NIOPosix
import Testing

/// Plain handlers that block run on Gale's executor when they say so, and so does a static
/// file's first request (it reads the whole file for its hash): a server with a single event
/// loop keeps answering other connections meanwhile. Other suites keep the machine busy at
/// times: hence the long waits for a handler to start.
@Suite struct ThreadPoolHandlerTests {
    /// What a `BlockingHandler` route gets: where to say it is blocking, and what it waits for.
    struct Blocking: Sendable {
        let gate: Gate
        let release: DispatchSemaphore
        let onThreadPool: Bool
    }

    /// Blocks its thread until the test releases it, as a synchronous database call would.
    final class BlockingHandler: RequestHandler, InitializableHandler {
        var blocking: Blocking?

        func initialize(_ arguments: Blocking) { blocking = arguments }

        override func runsOnThreadPool() -> Bool { blocking?.onThreadPool ?? false }

        override func get() throws {
            blocking?.gate.record("blocking")
            blocking?.release.wait()
            try write("released")
        }
    }

    /// Runs `body` against `app` served with one event loop, so a blocked loop blocks everyone.
    func withOneLoop(_ app: Application, _ body: (Int) async throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = HTTPServer(app, group: group)
        try await server.bind(0, address: "127.0.0.1")
        try server.start()
        let port = try #require(server.ports.first)
        await #expect(throws: Never.self) { try await body(port) }
        await server.shutdown()
        try await group.shutdownGracefully()
    }

    func app(_ blocking: Blocking) throws -> Application {
        Application([
            try URLSpec("/block", BlockingHandler.self, blocking),
            try URLSpec("/", HelloHandler.self),
        ]).withLogLevel(.critical)
    }

    /// On the executor, a blocking handler leaves the loop answering another connection; on the
    /// loop (the control, which shows the test can fail), it holds every connection there.
    @Test(arguments: [true, false]) func aBlockingHandler(onThreadPool: Bool) async throws {
        let blocking = Blocking(gate: Gate(), release: DispatchSemaphore(value: 0), onThreadPool: onThreadPool)
        try await withOneLoop(try app(blocking)) { port in
            let slow = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await slow.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await blocking.gate.events(atLeast: 1, timeout: .seconds(60)) == ["blocking"])
            let hello = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await hello.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            if onThreadPool {
                #expect(try await hello.readResponse(timeout: .seconds(10)).text == "Hello, world")
            } else {
                await #expect(throws: (any Error).self) { try await hello.readResponse(timeout: .seconds(1)) }
            }
            blocking.release.signal()
            #expect(try await slow.readResponse(timeout: .seconds(10)).text == "released")
            // The connection goes on: its next request is answered too.
            try await slow.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await slow.readResponse(timeout: .seconds(10)).text == "Hello, world")
        }
    }

    /// A static file handler on a slow disk: reading a file's version waits until the test
    /// releases it (at most 30 s).
    final class SlowDiskStaticFileHandler: StaticFileHandler {
        static let disk = DispatchSemaphore(value: 0)

        override class func getContentVersion(absolutePath: String) throws -> String {
            _ = disk.wait(timeout: .now() + 30)
            return try super.getContentVersion(absolutePath: absolutePath)
        }
    }

    /// While a cold file's version is being read (the disk held up), the loop answers another
    /// connection; had the read run on the loop, that answer could not come until the release.
    @Test func aColdStaticFileIsHashedOffTheLoop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-cold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("site.css")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("body {}".utf8)))
        // A file is kept once the clock has moved past its change time (`StaticFileCache`).
        while let status = FileSystem.status(file.path),
            FileSystem.coarseClockNanoseconds() <= status.changedNanoseconds
        {
            try await Task.sleep(for: .milliseconds(1))
        }
        let app = Application(
            [try URLSpec("/", HelloHandler.self)],
            settings: Settings(staticPath: directory.path, staticHandlerClass: SlowDiskStaticFileHandler.self)
        ).withLogLevel(.critical)
        try await withOneLoop(app) { port in
            let cold = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await cold.send("GET /static/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
            let hello = try await RawConnection.connect(host: "127.0.0.1", port: port)
            try await hello.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await hello.readResponse(timeout: .seconds(20)).text == "Hello, world")
            SlowDiskStaticFileHandler.disk.signal()
            let response = try await cold.readResponse(timeout: .seconds(30))
            #expect(response.status == 200 && response.text == "body {}")
            // Warm now: the same answer, from the loop, without reading the version again.
            try await cold.send("GET /static/site.css HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await cold.readResponse().headers["Etag"] == response.headers["Etag"])
        }
    }
}
