// Tornado's blog demo (demos/blog) in Gale: authors, compose, entries, archive, an Atom feed, a
// UI module and Markdown, over SQLite (GRDB) where the demo uses PostgreSQL.
// Docs/migrating-from-tornado.md walks through the port, change by change.
import ArgumentParser
import Foundation
import Gale
import GaleCommand

@main
struct Blog: GaleApp {
    struct Options: ParsableArguments {
        @Option(help: "The SQLite database, made on first use (BLOG_DATABASE, else blog.sqlite).")
        var database: String = ProcessInfo.processInfo.environment["BLOG_DATABASE"] ?? "blog.sqlite"

        @Option(
            help:
                "scrypt's cost for new password hashes, as log2 of its rounds (10 to 20; 15 is 32 MiB and about 0.1 s)."
        )
        var passwordCost: Int = PasswordHash.defaultCost

        init() {}

        mutating func validate() throws {
            guard (10...20).contains(passwordCost) else {
                throw ValidationError("--password-cost must be 10 to 20, not \(passwordCost)")
            }
        }
    }

    static func makeApplication(server: ServerOptions, options: Options) throws -> Application {
        let resources = try AppResources.bundle(package: "Gale", target: "Blog")
        let blog = BlogContext(
            database: try BlogDatabase(path: options.database), title: "Gale Blog", passwordCost: options.passwordCost)
        let settings = Settings {
            $0.debug = server.debug
            $0.templatePath = resources.path("templates")
            $0.staticPath = resources.path("static")
            $0.uiModules = ["Entry": EntryModule.self]
            $0.cookieSecret = server.cookieSecret
            $0.loginURL = "/auth/login"
            $0.xsrfCookies = true
        }
        return Application(
            [
                try URLSpec(#"/"#, HomeHandler.self, blog),
                try URLSpec(#"/archive"#, ArchiveHandler.self, blog),
                try URLSpec(#"/feed"#, FeedHandler.self, blog),
                try URLSpec(#"/entry/([^/]+)"#, EntryHandler.self, blog),
                try URLSpec(#"/compose"#, ComposeHandler.self, blog),
                try URLSpec(#"/auth/create"#, AuthCreateHandler.self, blog),
                try URLSpec(#"/auth/login"#, AuthLoginHandler.self, blog),
                try URLSpec(#"/auth/logout"#, AuthLogoutHandler.self, blog),
            ],
            settings: settings)
    }
}
