import Gale
import GaleTesting
import Logging
import Testing

/// A template or static directory that is not there stops start-up, naming the path and, for a
/// relative one, the working directory it was resolved from.
@Suite struct StartupDirectoryTests {
    @Test func missingDirectoriesStopStartUp() throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try files.write("page.html", "x")
        let missing = Settings(staticPath: files.path + "/no-static", templatePath: "no-such-templates")
            .startupProblems().errors
        let staticProblem = "staticPath \"\(files.path)/no-static\" does not exist"
        #expect(missing.contains { $0.hasPrefix(staticProblem) }, "\(missing)")
        #expect(
            missing.contains {
                $0.hasPrefix("templatePath \"no-such-templates\" (relative to the working directory /")
                    && $0.hasSuffix("does not exist")
            }, "\(missing)")
        let file = Settings(templatePath: files.path + "/page.html").startupProblems().errors
        #expect(file == ["templatePath \"\(files.path)/page.html\" is not a directory"])
        #expect(Settings(staticPath: files.path, templatePath: files.path).startupProblems().errors.isEmpty)
    }

    @Test func aTemplateLoaderMakesTheTemplatePathUnused() throws {
        let loader = TemplateLoader(root: "/nonexistent")
        #expect(Settings(templatePath: "/nonexistent", templateLoader: loader).startupProblems().errors.isEmpty)
    }

    @Test func aServerDoesNotStartWithoutItsTemplates() async throws {
        let app = Application([URLSpec](), settings: Settings(templatePath: "/nonexistent/templates"))
            .withLogLevel(.critical)
        await #expect {
            try await app.test(.live) { _ in }
        } throws: { error in
            "\(error)".contains("templatePath \"/nonexistent/templates\" does not exist")
        }
    }
}
