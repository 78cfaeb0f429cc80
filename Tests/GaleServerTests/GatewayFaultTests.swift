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

    @Test(.timeLimit(.minutes(2)))
    func aTrapInAFastCGIHandlerEndsTheProcessAndSupervisordStartsItAgain() async throws {
        // A Swift trap cannot be caught: the process ends with its in-flight requests (nginx
        // answers 502), and what supervises it starts it again. Docs/deploy/supervisord-fastcgi.conf
        // behind Docs/deploy/nginx-fastcgi.conf, both as documented, with gale-test-server (which
        // has async routes, so it needs --serve-rest under FastCGI).
        for tool in ["/usr/sbin/nginx", "/usr/bin/supervisord"] {
            try #require(
                FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: make test installs it")
        }
        let front = try DeployConfig("nginx-fastcgi.conf")
        defer { front.remove() }
        let binary = ExampleProcess.binDirectory.appendingPathComponent("GaleTestServer").path
        let supervised = try DeployConfig(
            "supervisord-fastcgi.conf",
            extra: ["@SOCKET@": front.socket, "@BINARY@": binary, "fastcgi --socket": "fastcgi --serve-rest --socket"])
        defer { supervised.remove() }
        let supervisor = try ExampleProcess("/usr/bin/supervisord", ["-c", supervised.path])
        let nginx = try ExampleProcess(
            "/usr/sbin/nginx",
            ["-c", front.path, "-p", front.directory.path + "/", "-e", front.directory.path + "/error.log"])
        try #require(await front.waitUntilListening(), "nginx did not start: \(nginx.printed)")
        let log = supervised.directory.appendingPathComponent("app-fastcgi.log").path

        /// Whether `/environment` answers 200 through nginx within 30 s.
        func served() async -> Bool {
            for _ in 0..<300 {
                if (try? await front.get("/environment").status) == 200 { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        #expect(await served(), "\(supervisor.printed) \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        // Swift's backtracer writes the crash report before the process ends, which takes seconds.
        #expect(try await httpGet(port: front.port, "/trap", timeout: .seconds(60)).status == 502)
        #expect(await served(), "not served again after the trap: \(supervisor.printed)")
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("GET /trap traps on purpose"), "the trap's message is in the worker's log: \(output)")
        let supervisorLog =
            (try? String(
                contentsOfFile: supervised.directory.appendingPathComponent("supervisord.log").path, encoding: .utf8))
            ?? ""
        #expect(supervisorLog.components(separatedBy: "spawned: 'app-fastcgi'").count == 3, "\(supervisorLog)")

        #expect(await nginx.stop() == 0)
        #expect(await supervisor.stop(timeout: .seconds(60)) == 0, "\(supervisor.printed)")
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
