import Foundation
import GaleTesting
import Testing

/// Docs/Guide.md's "Your own app", followed as a newcomer would: a package of one's own made
/// from the files it shows (Examples/Starter, word for word), depending on this checkout by
/// path, built, tested with its own GaleTesting tests, run, and asked for its pages; then its
/// executable and resources copied elsewhere, as a deployment does, and served from there.
///
/// The package is built in this machine's cache (`~/.cache/gale-tests/starter-app`); its first
/// build compiles Gale's dependencies again (minutes), so `make test` runs this suite before
/// the others, one build at a time with `NoFastCGITraitTests`.
@Suite struct StarterAppTests {
    static let package = DownstreamPackage("starter-app")
    static let starter = DeployConfig.repository.appendingPathComponent("Examples/Starter").path

    /// The files a document's section shows, by path: each is a fenced block right after a
    /// line that is only the path in backquotes and a colon (`` `Package.swift`: ``).
    static func files(in document: String, section: String) throws -> [String: String] {
        let text = try String(
            contentsOf: DeployConfig.repository.appendingPathComponent(document), encoding: .utf8)
        let start = try #require(text.range(of: "\n## \(section)\n"), "\(document) has no section \(section)")
        let rest = text[start.upperBound...]
        let body = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        var files: [String: String] = [:]
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            guard line.hasPrefix("`"), line.hasSuffix("`:"), index < lines.count, lines[index].hasPrefix("```")
            else { continue }
            let name = String(line.dropFirst().dropLast(2))
            index += 1
            var block: [Substring] = []
            while index < lines.count, lines[index] != "```" {
                block.append(lines[index])
                index += 1
            }
            files[name] = block.joined(separator: "\n") + "\n"
        }
        return files
    }

    /// Every file of Examples/Starter, by path inside it.
    static func starterFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: starter)
        while let name = enumerator?.nextObject() as? String {
            if name.hasPrefix(".build") || name == "README.md" {
                if name.hasPrefix(".build") { enumerator?.skipDescendants() }
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: starter + "/" + name, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            files[name] = try String(contentsOfFile: starter + "/" + name, encoding: .utf8)
        }
        return files
    }

    @Test func theGuideShowsTheWholeStarterAndTheREADMEItsManifest() throws {
        let shown = try Self.files(in: "Docs/Guide.md", section: "Your own app")
        let starter = try Self.starterFiles()
        #expect(Set(shown.keys) == Set(starter.keys))
        for (name, text) in starter {
            #expect(shown[name] == text, "Docs/Guide.md's \(name) is not Examples/Starter/\(name)")
        }
        let readme = try Self.files(in: "README.md", section: "Your own app")
        #expect(readme.keys.sorted() == ["Package.swift"])
        #expect(readme["Package.swift"] == starter["Package.swift"])
    }

    @Test(.timeLimit(.minutes(30))) func aPackageMadeFromTheGuideBuildsPassesItsTestsAndServes() async throws {
        let swift = try #require(DownstreamPackage.tool("swift"), "swift is not on PATH")
        // The Guide's files, the dependency's path made this checkout's.
        for (name, text) in try Self.files(in: "Docs/Guide.md", section: "Your own app") {
            var text = text
            if name == "Package.swift" {
                let documented = #".package(name: "gale", path: "../..")"#
                #expect(text.contains(documented))
                text = text.replacingOccurrences(
                    of: documented, with: ".package(name: \"gale\", path: \"\(DeployConfig.repository.path)\")")
                text += "// Gale's Package.swift: \(try DownstreamPackage.galeManifestDigest())\n"
            }
            try Self.package.write(text, to: name)
        }
        try Self.package.pinLikeTheCheckout()

        var build = ChildProcess(
            swift,
            [
                // With the index store: test discovery on Linux reads it.
                "build", "--build-tests", "--package-path", Self.package.path, "-Xswiftc", "-gnone",
            ])
        build.mergingErrors = true
        build.timeout = .seconds(1500)
        let started = ContinuousClock.now
        let built = try await build.run()
        print("StarterAppTests: swift build took \(ContinuousClock.now - started)")
        try #require(built.status == 0, "the build failed: \(built.text)")
        let warnings = DownstreamPackage.galeWarnings(in: built.text)
        #expect(warnings.isEmpty, "\(warnings.joined(separator: "\n"))")

        // The starter's own tests, in every mode.
        var tests = ChildProcess(swift, ["test", "--skip-build", "--package-path", Self.package.path])
        tests.mergingErrors = true
        tests.timeout = .seconds(300)
        let tested = try await tests.run()
        #expect(tested.status == 0, "\(tested.text)")
        #expect(tested.text.contains("Test run with 3 tests in 1 suite passed"), "\(tested.text)")

        // Run from another working directory: the app finds its resources beside itself.
        let bin = Self.package.path + "/.build/debug"
        let elsewhere = try TemporaryDirectory()
        defer { elsewhere.remove() }
        try await Self.servesItsPages(executable: bin + "/Starter", workingDirectory: elsewhere.path)

        // Deployed: the executable and its resources copied to a folder of their own.
        let deployed = try TemporaryDirectory()
        defer { deployed.remove() }
        try FileManager.default.copyItem(atPath: bin + "/Starter", toPath: deployed.path + "/Starter")
        try FileManager.default.copyItem(
            atPath: bin + "/Starter_Starter.resources", toPath: deployed.path + "/Starter_Starter.resources")
        try await Self.servesItsPages(executable: deployed.path + "/Starter", workingDirectory: elsewhere.path)

        // The executable without its resources: start-up says what is missing and where it looked.
        let alone = try TemporaryDirectory()
        defer { alone.remove() }
        try FileManager.default.copyItem(atPath: bin + "/Starter", toPath: alone.path + "/Starter")
        var lone = ChildProcess(alone.path + "/Starter", ["request", "GET", "/"])
        lone.environment = ["STARTER_COOKIE_SECRET": "test"]
        let refused = try await lone.run()
        #expect(refused.status != 0)
        #expect(
            refused.errorText.contains(
                "the resources folder Starter_Starter.resources is not beside the executable \(alone.path)/Starter"),
            "\(refused.errorText)")
        #expect(!refused.errorText.contains("Fatal error"), "a trap, not a start-up error: \(refused.errorText)")
        // ... and GALE_RESOURCES says where it is.
        lone.environment["GALE_RESOURCES"] = deployed.path + "/Starter_Starter.resources"
        let served = try await lone.run()
        #expect(served.status == 0, "\(served.errorText)")
        #expect(served.text.contains("<h1>To do</h1>"), "\(served.text)")
    }

    /// Starts `executable` on a free port and checks the page, its style sheet and the JSON.
    static func servesItsPages(executable: String, workingDirectory: String) async throws {
        let server = try ExampleProcess(
            executable, ["--port", "0", "--address", "127.0.0.1"],
            directory: URL(fileURLWithPath: workingDirectory), environment: ["STARTER_COOKIE_SECRET": "test"])
        let port = try #require(await server.servingPort(), "\(server.printed)")
        let page = try await httpGet(port: port, "/")
        #expect(page.status == 200)
        #expect(page.text.contains("<h1>To do</h1>"), "\(page.text)")
        let sheet = try #require(
            page.text.split(separator: "\"").first { $0.hasPrefix("/static/starter.css?v=") }, "\(page.text)")
        let css = try await httpGet(port: port, String(sheet))
        #expect(css.status == 200)
        #expect(css.text.contains("font-family"))
        #expect(try await httpGet(port: port, "/todos.json").text == #"{"items": []}"#)
        #expect(await server.stop() == 0, "\(server.printed)")
    }
}
