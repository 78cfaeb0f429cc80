import Foundation
import Gale
import GaleFastCGI
import GaleTesting
import Logging
import Testing

/// A handler that fails with an error nobody expected.
final class FailingHandler: RequestHandler {
    struct Unexpected: Error {}
    override func get() throws { throw Unexpected() }
}

/// Renders `page.html` from the template directory.
final class PageHandler: RequestHandler {
    override func get() throws { try render("page.html", ["name": "Zoë"]) }
}

/// Faults behind nginx and FastCGI, and in the template directory (see "When things fail" in
/// Docs/Deploying.md).
@Suite struct GatewayFaultTests {
    @Test(.timeLimit(.minutes(2)))
    func aFailingHandlerFailsItsRequestAndNginxRestartsAreSurvived() async throws {
        let nginx = "/usr/sbin/nginx"
        try #require(FileManager.default.isExecutableFile(atPath: nginx), "nginx is missing: make test installs it")
        let deploy = try DeployConfig("nginx-fastcgi.conf")
        defer { deploy.remove() }
        let base = try makeServerTestApp()
        let app = Application([try URLSpec("/fail", FailingHandler.self)] + base.handlers).withLogLevel(.critical)
        let fastCGI = try FastCGIServer(
            gateway: SynchronousGateway(application: app, serveRest: true, runtimeName: "FastCGI"),
            listen: .unixSocket(path: deploy.socket, mode: 0o666), threads: 2)
        fastCGI.start()
        defer { fastCGI.shutdown() }
        let arguments = [
            "-c", deploy.path, "-p", deploy.directory.path + "/", "-e", deploy.directory.path + "/error.log",
        ]
        var server = try ExampleProcess(nginx, arguments)
        try #require(await deploy.waitUntilListening(), "nginx did not start: \(server.printed)")

        // Failing requests beside good ones, on both worker threads: each failure is that
        // request's 500, and the others are answered.
        let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for index in 0..<20 {
                let target = index % 2 == 0 ? "/fail" : "/"
                group.addTask { (target, try await deploy.get(target).status) }
            }
            return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
        }
        #expect(statuses.count == 20)
        for (target, status) in statuses { #expect(status == (target == "/fail" ? 500 : 200), "\(target)") }

        // nginx restarted (stopped, then started again): the same FastCGI process serves the new one.
        #expect(await server.stop() == 0)
        server = try ExampleProcess(nginx, arguments)
        try #require(await deploy.waitUntilListening(), "nginx did not start again: \(server.printed)")
        let after = try await deploy.get("/")
        #expect(after.status == 200)
        #expect(after.text == "Hello, world")
        #expect(await server.stop() == 0)
    }

    @Test func aTemplateDirectoryRemovedInDebugModeIsA500UntilItComesBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let templates = directory.path + "/templates"
        func restore() throws {
            try FileManager.default.createDirectory(atPath: templates, withIntermediateDirectories: true)
            try "Hello, {{ name }}".write(toFile: templates + "/page.html", atomically: true, encoding: .utf8)
        }
        try restore()
        let app = Application(
            [try URLSpec("/page", PageHandler.self)], settings: Settings(debug: true, templatePath: templates)
        ).withLogLevel(.critical)
        try await app.test(.live) { client async throws in
            #expect(try await client.get("/page").text == "Hello, Zoë")
            try FileManager.default.removeItem(atPath: templates)
            let missing = try await client.get("/page")
            #expect(missing.status == 500)
            // Debug mode's error page names what is missing.
            #expect(missing.text.contains("page.html"), "\(missing.text.prefix(500))")
            // The server keeps serving, and the template is read again once it is back.
            try restore()
            #expect(try await client.get("/page").text == "Hello, Zoë")
        }
    }
}
