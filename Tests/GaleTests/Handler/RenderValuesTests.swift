import Gale
import GaleTesting
import Logging
import Testing

/// The page a to-do app renders, as a handler keeps it.
struct TodoPage: Encodable, Sendable {
    var title: String
    var items: [String]
    var done: Int?
}

/// `render` with a struct whose fields are the template's variables.
final class ContextPageHandler: RequestHandler {
    override func get() throws {
        try render("todo.html", TodoPage(title: "Todo <1>", items: ["milk", "eggs"], done: nil))
    }
}

/// `render` with a dictionary of Swift values, one of them a `TemplateValue`.
final class DictionaryPageHandler: RequestHandler {
    override func get() throws {
        let items = ["milk", "eggs"]
        let done: Int? = 1
        try render("todo.html", ["title": TemplateValue.string("Todo <2>"), "items": items, "done": done])
    }
}

/// `renderString` in both forms, written as JSON.
final class RenderStringHandler: RequestHandler {
    override func get() throws {
        let first = try renderString("todo.html", TodoPage(title: "a", items: [], done: 0))
        let values: [String: any Encodable & Sendable] = ["title": "b", "items": ["x"], "done": 2]
        let second = try renderString("todo.html", values)
        try write([first, second])
    }
}

/// A context with no fields to name variables.
final class UnkeyedContextHandler: RequestHandler {
    override func get() throws { try render("todo.html", ["just", "a", "list"]) }
}

/// A UI module that renders its template with a context value, and one with a dictionary.
final class TodoListModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String {
        let items = ["z"]
        let done: Int? = 4
        return try renderString("todo.html", TodoPage(title: "m", items: items, done: 3))
            + renderString("todo.html", ["title": "n", "items": items, "done": done])
    }
}

/// A page made of the module.
final class ModulePageHandler: RequestHandler {
    override func get() throws { try render("module.html") }
}

@Suite struct RenderValuesTests {
    static let template = """
        <h1>{{ title }}</h1>{% for item in items %}<li>{{ item }}</li>{% end %}done={{ done }}
        """

    func makeApp(_ files: TemporaryDirectory, debug: Bool = false) throws -> Application {
        try files.write("todo.html", Self.template)
        try files.write("module.html", "{% module TodoList() %}")
        return Application(
            [
                try URLSpec("/context", ContextPageHandler.self),
                try URLSpec("/dictionary", DictionaryPageHandler.self),
                try URLSpec("/strings", RenderStringHandler.self),
                try URLSpec("/unkeyed", UnkeyedContextHandler.self),
                try URLSpec("/module", ModulePageHandler.self),
            ],
            settings: Settings(debug: debug, templatePath: files.path, uiModules: ["TodoList": TodoListModule.self])
        ).withLogLevel(.critical)
    }

    @Test func aStructsFieldsAreTheVariables() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files).test(.inMemory) { client in
            let page = try await client.get("/context")
            #expect(page.status == 200)
            #expect(page.text == "<h1>Todo &lt;1&gt;</h1><li>milk</li><li>eggs</li>done=None")
        }
    }

    @Test func aDictionaryOfSwiftValuesAndTemplateValues() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files).test(.inMemory) { client in
            let page = try await client.get("/dictionary")
            #expect(page.text == "<h1>Todo &lt;2&gt;</h1><li>milk</li><li>eggs</li>done=1")
        }
    }

    @Test func renderStringTakesBothForms() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files).test(.inMemory) { client in
            let page = try await client.get("/strings")
            #expect(page.text == #"["<h1>a<\/h1>done=0", "<h1>b<\/h1><li>x<\/li>done=2"]"#)
        }
    }

    @Test func aContextWithoutFieldsIsA500NamingTheFix() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files, debug: true).test(.inMemory) { client in
            let unkeyed = try await client.get("/unkeyed")
            #expect(unkeyed.status == 500)
            #expect(unkeyed.text.contains("has no fields to name the template"), "\(unkeyed.text.prefix(400))")
            // The server goes on serving.
            #expect(try await client.get("/context").status == 200)
        }
    }

    @Test func uiModulesTakeTheSameForms() async throws {
        let files = try TemporaryDirectory()
        defer { files.remove() }
        try await makeApp(files).test(.inMemory) { client in
            let page = try await client.get("/module")
            #expect(page.text == "<h1>m</h1><li>z</li>done=3<h1>n</h1><li>z</li>done=4")
        }
    }
}
