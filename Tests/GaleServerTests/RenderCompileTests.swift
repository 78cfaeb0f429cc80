import Foundation
import GaleTesting
import Testing

/// What a downstream file sees when it calls `render`: the forms Docs/Guide.md shows compile,
/// and a dictionary holding a value that is neither `Encodable` nor a `TemplateValue` is an
/// error that names the fix (not a compiler crash, not "failed to produce diagnostic"). Each
/// file is type-checked with `swiftc` against the modules this test build made.
@Suite struct RenderCompileTests {
    static let forms = """
        import Gale

        struct Page: Encodable, Sendable { var title: String; var items: [String] }

        final class FormsHandler: RequestHandler {
            override func get() throws {
                let items = ["milk", "eggs"]
                try render("a.html", ["title": "Todo", "items": items, "user": try currentUser ?? TemplateValue.none])
                try render("a.html", Page(title: "Todo", items: items))
                try render("a.html", ["title": .string("Todo")])
                _ = try renderString("a.html", ["items": items])
            }
        }

        """

    static let misuse = """
        import Gale

        struct NotEncodable {}

        final class MisusingHandler: RequestHandler {
            override func get() throws {
                try render("index.html", ["title": "Todo", "thing": NotEncodable()])
            }
        }

        """

    /// Type-checks `source` against this build's modules; returns the status and the output.
    static func typecheck(_ source: String, named name: String) async throws -> (Int32?, String) {
        let swiftc = try #require(DownstreamPackage.tool("swiftc"), "swiftc is not on PATH")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(name, source)
        let modules = ExampleProcess.binDirectory.appendingPathComponent("Modules").path
        let check = try ExampleProcess(swiftc, ["-typecheck", "-I", modules, directory.path + "/" + name])
        return (await check.stop(signal: 0, timeout: .seconds(120)), check.printed)
    }

    @Test func theGuidesFormsCompile() async throws {
        let (status, printed) = try await Self.typecheck(Self.forms, named: "forms.swift")
        #expect(status == 0, "\(printed)")
        #expect(!printed.contains("warning:"), "\(printed)")
    }

    @Test func aValueThatIsNotEncodableIsAnErrorNamingTheFix() async throws {
        let (status, printed) = try await Self.typecheck(Self.misuse, named: "misuse.swift")
        #expect(status != 0 && status != nil)
        #expect(
            printed.contains(
                "error: 'render' is unavailable: each value passed to render must be Encodable & Sendable (or a TemplateValue)"
            ),
            "\(printed)")
        #expect(!printed.contains("failed to produce diagnostic"), "\(printed)")
    }
}
