import Foundation
import Gale
import Ink

/// What every handler of the blog shares: its database, title and password-hash cost.
/// Tornado's demo keeps the database on its `Application` subclass and the title in
/// `settings["blog_title"]`.
struct BlogContext: Sendable {
    let database: BlogDatabase
    let title: String
    /// scrypt's cost for new password hashes, as log2 of its rounds (`PasswordHash`).
    var passwordCost = PasswordHash.defaultCost
}

/// Reads the signed-in author in `prepare`, and runs on Gale's thread pool: every handler of
/// the blog talks to SQLite, which blocks, so none runs on the event loop. Under FastCGI and
/// CGI, handlers run on worker threads or in a process of their own anyway.
class BaseHandler: RequestHandler, InitializableHandler {
    private(set) var blog: BlogContext!
    /// The signed-in author, found from the `blogdemo_user` cookie in `prepare`.
    private(set) var author: BlogDatabase.Author?

    func initialize(_ blog: BlogContext) { self.blog = blog }

    override func runsOnThreadPool() -> Bool { true }

    override func prepare() throws {
        guard let value = try getSecureCookie("blogdemo_user"), let id = Int64(value) else { return }
        author = try blog.database.author(id: id)
    }

    override func getCurrentUser() throws -> TemplateValue? {
        guard let author else { return nil }
        return ["id": .int(Int(author.id ?? 0)), "name": .string(author.name), "email": .string(author.email)]
    }

    /// `blog_title` in every template (the demo reads `handler.settings["blog_title"]`).
    override func getTemplateNamespace() throws -> [String: TemplateValue] {
        var namespace = try super.getTemplateNamespace()
        namespace["blog_title"] = .string(blog.title)
        return namespace
    }

    /// Signs `author` in, then goes to `next` when it is a path on this site.
    func signIn(_ author: BlogDatabase.Author) throws {
        try setSecureCookie("blogdemo_user", String(author.id ?? 0), CookieOptions(httpOnly: true, sameSite: "Lax"))
        try redirect(localRedirectTarget(try getArgument("next", default: nil)))
    }
}

/// The five newest entries, or the compose page when there are none.
final class HomeHandler: BaseHandler {
    override func get() throws {
        let entries = try blog.database.entries(limit: 5)
        if entries.isEmpty { return try redirect("/compose") }
        try render("home.html", ["entries": entries])
    }
}

/// One entry, by its slug.
final class EntryHandler: BaseHandler {
    override func get() throws {
        guard let entry = try blog.database.entry(slug: pathArgs.first ?? "") else { throw HTTPError(404) }
        try render("entry.html", ["entry": entry])
    }
}

/// Every entry's title and date.
final class ArchiveHandler: BaseHandler {
    override func get() throws {
        try render("archive.html", ["entries": try blog.database.entries()])
    }
}

/// The ten newest entries as an Atom feed.
final class FeedHandler: BaseHandler {
    override func get() throws {
        let entries = try blog.database.entries(limit: 10)
        let updated = entries.map(\.updated).max() ?? Date()
        try setHeader("Content-Type", "application/atom+xml")
        try render("feed.xml", ["entries": entries, "updated": updated])
    }
}

/// Writes a new entry, or edits the one `id` names: for the signed-in author only.
final class ComposeHandler: BaseHandler {
    override class var authenticatedMethods: Set<String> { ["GET", "HEAD", "POST"] }

    /// The entry `id` names; none without `id`, a 404 for an `id` that is not an entry's.
    func namedEntry() throws -> BlogDatabase.Entry? {
        guard let id = try getArgument("id", default: nil) else { return nil }
        guard let number = Int64(id), let entry = try blog.database.entry(id: number) else { throw HTTPError(404) }
        return entry
    }

    override func get() throws {
        try render("compose.html", ["entry": try namedEntry()])
    }

    override func post() throws {
        let title = try getArgument("title")
        let text = try getArgument("markdown", strip: false)
        guard (1...512).contains(title.count) else { throw HTTPError(400, reason: "A title of 1 to 512 characters") }
        guard !text.isEmpty else { throw HTTPError(400, reason: "An entry needs some text") }
        let html = MarkdownParser().html(from: text)
        let entry: BlogDatabase.Entry
        if let existing = try namedEntry(), let id = existing.id {
            guard let updated = try blog.database.update(id: id, title: title, markdown: text, html: html) else {
                throw HTTPError(404)
            }
            entry = updated
        } else {
            guard let authorID = author?.id else { throw HTTPError(403) }
            entry = try blog.database.publish(
                authorID: authorID, slug: Slug.make(from: title), title: title, markdown: text, html: html)
        }
        try redirect("/entry/" + entry.slug)
    }
}

/// Makes the blog's one author account, while there is none.
final class AuthCreateHandler: BaseHandler {
    override func get() throws {
        try render("create_author.html", [:])
    }

    override func post() throws {
        if try blog.database.anyAuthorExists() { throw HTTPError(400, reason: "author already created") }
        let email = try getArgument("email")
        let name = try getArgument("name")
        let password = try getArgument("password", strip: false)
        guard email.contains("@"), !name.isEmpty, password.count >= 8 else {
            throw HTTPError(400, reason: "An email address, a name and a password of 8 characters or more")
        }
        let hashed = try PasswordHash.make(password, cost: blog.passwordCost)
        guard let author = try blog.database.createFirstAuthor(email: email, name: name, hashedPassword: hashed) else {
            throw HTTPError(400, reason: "author already created")
        }
        try signIn(author)
    }
}

/// Signs the author in with email and password.
final class AuthLoginHandler: BaseHandler {
    override func get() throws {
        guard try blog.database.anyAuthorExists() else { return try redirect("/auth/create") }
        try render("login.html", ["error": TemplateValue.none])
    }

    override func post() throws {
        guard let author = try blog.database.author(email: try getArgument("email")) else {
            return try render("login.html", ["error": "email not found"])
        }
        guard PasswordHash.check(try getArgument("password", strip: false), against: author.hashedPassword) else {
            return try render("login.html", ["error": "incorrect password"])
        }
        try signIn(author)
    }
}

/// Signs out, and goes back to `next`.
final class AuthLogoutHandler: BaseHandler {
    override func get() throws {
        try clearCookie("blogdemo_user")
        try redirect(localRedirectTarget(try getArgument("next", default: nil)))
    }
}

/// `{% module Entry(entry) %}`: one entry, as the home and entry pages show it.
final class EntryModule: UIModule {
    override func render(_ arguments: TemplateArguments) throws -> String {
        try renderString("modules/entry.html", ["entry": arguments.value(0, "entry") ?? .none])
    }
}
