import Foundation
import Gale
import GaleServer
import GaleTesting
import Testing

/// What `bind` listens on: every interface in both IP versions, `reusePort`, a Unix socket.
@Suite struct ListeningSocketTests {
    @Test func anEmptyAddressListensOnIPv6AndIPv4() async throws {
        let server = HTTPServer(try makeServerTestApp())
        try await server.bind(0, address: "")
        try server.start()
        defer { server.stop() }
        let port = try #require(server.ports.first)
        for host in ["127.0.0.1", "::1"] {
            let connection = try await RawConnection.connect(host: host, port: port)
            try await connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().text == "Hello, world", "\(host)")
        }
    }

    @Test func reusePortLetsTwoServersShareAPortAndItsAbsenceDoesNot() throws {
        let first = HTTPServer(try makeServerTestApp())
        try first.bind(0, address: "127.0.0.1", reusePort: true)
        defer { first.stop() }
        let port = try #require(first.ports.first)
        let second = HTTPServer(try makeServerTestApp())
        try second.bind(port, address: "127.0.0.1", reusePort: true)
        second.stop()
        let third = HTTPServer(try makeServerTestApp())
        #expect(throws: HTTPServerError.self) { try third.bind(port, address: "127.0.0.1") }
    }

    @Test func aUnixSocketServesAndReplacesAStaleOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-unix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gale.sock").path
        for round in 0..<2 {  // the second bind finds the first's socket file left behind
            let server = HTTPServer(try makeServerTestApp())
            try server.bindUnixSocket(path)
            try server.start()
            let curl = try await ChildProcess(
                "/usr/bin/curl", ["-s", "--max-time", "10", "--unix-socket", path, "http://gale/"]
            ).run()
            #expect(curl.text == "Hello, world", "round \(round)")
            await server.shutdown()
        }
        // A regular file in the way is not removed.
        let file = directory.appendingPathComponent("file").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("keep".utf8)))
        let server = HTTPServer(try makeServerTestApp())
        #expect(throws: HTTPServerError.self) { try server.bindUnixSocket(file) }
        #expect(FileManager.default.contents(atPath: file) == Data("keep".utf8))
    }
}
