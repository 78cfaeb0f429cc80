import Gale
import GaleCommand

/// A to-do list: a page with a form, and the same list as JSON.
@main
enum Starter: GaleApp {
    static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
        let resources = try AppResources.bundle(package: "Starter", target: "Starter")
        let todos = TodoList()
        let settings = Settings {
            $0.debug = server.debug
            $0.cookieSecret = server.cookieSecret
            $0.xsrfCookies = true
            $0.templatePath = resources.path("templates")
            $0.staticPath = resources.path("static")
        }
        return Application(
            [
                try URLSpec(#"/"#, TodoPageHandler.self, todos),
                try URLSpec(#"/todos\.json"#, TodoJSONHandler.self, todos),
            ],
            settings: settings)
    }
}
