import Foundation
import GaleTesting
import Testing

/// `gale-autoreload` on a package of its own (Tests/Fixtures/AutoreloadPackage, copied to a
/// scratch directory): it builds and runs the program, an edit is rebuilt and served, a broken
/// build leaves the last good program answering, the fix is served, a client loop through all
/// of it is never refused, and SIGTERM stops the tool and the program.
///
/// The package depends on nothing, so it builds from nothing in seconds; a copy of an example
/// that depends on Gale would first build Gale and SwiftNIO (minutes) in every CI run.
@Suite struct AutoreloadToolTests {
    static func edit(_ file: URL, _ change: (String) -> String) throws {
        // As an editor saves: a new file renamed over the old.
        let text = change(try String(contentsOf: file, encoding: .utf8))
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// The body `GET /` answers, or `nil` when nothing does.
    static func text(_ port: Int) async -> String? {
        guard let response = try? await httpGet(port: port, "/"), response.status == 200 else { return nil }
        return response.text
    }

    /// Waits (up to 60 s) until `GET /` answers `expected`.
    static func waitForText(_ expected: String, port: Int) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await text(port) == expected { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(.timeLimit(.minutes(5))) func editsAreRebuiltAndServedAndABrokenBuildKeepsTheLastGoodOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gale-tool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: DeployConfig.repository.appendingPathComponent("Tests/Fixtures/AutoreloadPackage"), to: directory)
        let source = directory.appendingPathComponent("Sources/Site/main.swift")
        let port = try DeployConfig.freePort()
        let settings = directory.appendingPathComponent("site.conf")
        try "a = 1\n".write(to: settings, atomically: true, encoding: .utf8)
        let tool = try ExampleProcess(
            "gale-autoreload", ["--watch", settings.path, "Site", "--port", String(port)], directory: directory)
        #expect(await tool.waitForOutput(containing: "started (pid", timeout: .seconds(180)), "\(tool.printed)")
        #expect(await Self.text(port) == "version 1", "\(tool.printed)")
        #expect(tool.printed.contains("gale-autoreload: building Site..."))
        #expect(tool.printed.contains("gale-autoreload: build took"))

        let loop = ClientLoop("http://127.0.0.1:\(port)/")

        try Self.edit(source) { $0.replacingOccurrences(of: "version 1", with: "version 2") }
        #expect(await Self.waitForText("version 2", port: port), "\(tool.printed)")
        #expect(tool.printed.contains("main.swift changed"))
        #expect(tool.printed.contains("gale-autoreload: rebuilding..."))
        #expect(tool.printed.contains("gale-autoreload: restarted (pid"))

        // A mistake: the compiler's error is shown, and the last good program keeps answering.
        try Self.edit(source) { $0 + "\nlet broken = \n" }
        #expect(
            await tool.waitForOutput(containing: "build failed", timeout: .seconds(120)), "\(tool.printed)")
        #expect(tool.printed.contains("error: expected initial value after '='"), "\(tool.printed)")
        #expect(tool.printed.contains("the last good program keeps running"))
        #expect(await Self.text(port) == "version 2")

        // Fixed: served.
        try Self.edit(source) {
            $0.replacingOccurrences(of: "\nlet broken = \n", with: "").replacingOccurrences(
                of: "version 2", with: "version 3")
        }
        #expect(await Self.waitForText("version 3", port: port), "\(tool.printed)")
        let counts = try await loop.finish()
        #expect(Set(counts.keys) == ["200"], "\(counts)\n\(tool.printed)")
        func builds() -> Int {
            tool.printed.components(separatedBy: "\n").filter { $0.contains("gale-autoreload: rebuilding...") }.count
        }
        #expect(builds() == 3, "one save, one build: \(tool.printed)")

        // A page in the sources is the running program's to read: no build. A --watch path's
        // every change is one.
        try "<p>hello</p>".write(
            to: directory.appendingPathComponent("Sources/Site/page.html"), atomically: true, encoding: .utf8)
        try await Task.sleep(for: .seconds(1))
        #expect(builds() == 3, "\(tool.printed)")
        try "a = 2\n".write(to: settings, atomically: true, encoding: .utf8)
        let deadline = ContinuousClock.now + .seconds(60)
        while builds() < 4 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(builds() == 4 && tool.printed.contains("site.conf changed"), "\(tool.printed)")
        #expect(await tool.waitForOutput(containing: "build took", timeout: .seconds(60)))

        // Stopping the tool stops the program; nothing is left behind.
        let programs = tool.printed.matches(of: /(?:started|restarted) \(pid (\d+)\)/).compactMap { Int32($0.1) }
        #expect(await tool.stop() == 0, "\(tool.printed)")
        for pid in programs { #expect(!MultiProcessTests.isRunning(pid), "program \(pid) outlived the tool") }
    }

    @Test func outsideAPackageRootItSaysWhereToRunIt() async throws {
        let tool = try ExampleProcess(
            "gale-autoreload", ["Site"], directory: FileManager.default.temporaryDirectory)
        #expect(await tool.stop(signal: 0) != 0)
        #expect(tool.printed.contains("run gale-autoreload from a package root"), "\(tool.printed)")
    }
}
