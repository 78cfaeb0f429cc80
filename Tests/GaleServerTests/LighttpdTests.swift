import Foundation
import Gale
import GaleTesting
import Testing

/// Real lighttpd running the app: spawned over FastCGI (`bin-path`), and as a CGI script
/// (mod_cgi), with the configurations in `Docs/deploy/`.
@Suite struct LighttpdTests {
    static let lighttpd = "/usr/sbin/lighttpd"

    func startLighttpd(_ deploy: DeployConfig) async throws -> ExampleProcess {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.lighttpd), "lighttpd is missing: make test installs it")
        let server = try ExampleProcess(Self.lighttpd, ["-D", "-f", deploy.path], directory: deploy.directory)
        try #require(await deploy.waitUntilListening(), "lighttpd did not start: \(server.printed)")
        return server
    }

    /// Stops lighttpd with SIGTERM: it must exit and log a clean stop. (Its exit status is 0
    /// or 1 from one run to the next for the same clean stop, so it is not checked.)
    func stop(_ server: ExampleProcess, _ deploy: DeployConfig) async throws {
        let status = await server.stop()
        let log = (try? String(contentsOfFile: deploy.directory.path + "/error.log", encoding: .utf8)) ?? ""
        #expect(status != nil, "lighttpd did not exit on SIGTERM")
        #expect(log.contains("server stopped by"), "\(log)")
    }

    @Test(.timeLimit(.minutes(2)))
    func spawnedOverFastCGIWithBinPath() async throws {
        let deploy = try DeployConfig("lighttpd-fastcgi.conf")
        defer { deploy.remove() }
        let server = try await startLighttpd(deploy)
        let whoami = try await deploy.get("/whoami")
        #expect(whoami.status == 200)
        #expect(whoami.text.contains(#""remote_ip": "127.0.0.1""#))
        let range = try await deploy.get("/static/big.bin", ["Range": "bytes=-5"])
        #expect(range.status == 206)
        #expect(range.body.count == 5)
        #expect(try await deploy.get("/nope").status == 404)
        try await stop(server, deploy)
    }

    @Test(.timeLimit(.minutes(2)))
    func runAsACGIScript() async throws {
        let deploy = try DeployConfig("lighttpd-cgi.conf")
        defer { deploy.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: deploy.directory.appendingPathComponent("friendfeed.cgi").path,
            withDestinationPath: ExampleProcess.binDirectory.appendingPathComponent("friendfeed").path)
        let server = try await startLighttpd(deploy)
        let whoami = try await deploy.get("/whoami?x=1")
        #expect(whoami.status == 200)
        #expect(whoami.text.contains(#""remote_ip": "127.0.0.1""#))
        let robots = try await deploy.get("/robots.txt")
        #expect(robots.text.contains("Disallow: /login"))
        #expect(try await deploy.get("/static/big.bin", ["Range": "bytes=0-9"]).body.count == 10)
        try await stop(server, deploy)
    }
}
