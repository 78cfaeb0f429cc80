import Foundation
import GRDB

/// The blog's SQLite database, through GRDB: the demo's `authors` and `entries` tables, made
/// on first use. A `DatabasePool` (WAL): readers on the thread pool, FastCGI's workers and
/// concurrent CGI processes do not wait for one another, and a writer waits its turn for up
/// to five seconds. Tornado's demo: aiopg's pool over PostgreSQL, and `maybe_create_tables`.
final class BlogDatabase: Sendable {
    /// A row of `authors`.
    struct Author: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
        static let databaseTableName = "authors"
        var id: Int64?
        var email: String
        var name: String
        var hashedPassword: String

        enum CodingKeys: String, CodingKey {
            case id, email, name
            case hashedPassword = "hashed_password"
        }

        mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    }

    /// A row of `entries`.
    struct Entry: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
        static let databaseTableName = "entries"
        var id: Int64?
        var authorID: Int64
        var slug: String
        var title: String
        var markdown: String
        var html: String
        var published: Date
        var updated: Date

        enum CodingKeys: String, CodingKey {
            case id, slug, title, markdown, html, published, updated
            case authorID = "author_id"
        }

        mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
    }

    private let pool: DatabasePool

    /// Opens (or creates) the database at `path` and brings its tables up to date.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("authors and entries") { db in
            try db.create(table: "authors") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("email", .text).notNull().unique()
                table.column("name", .text).notNull()
                table.column("hashed_password", .text).notNull()
            }
            try db.create(table: "entries") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("author_id", .integer).notNull().references("authors")
                table.column("slug", .text).notNull().unique()
                table.column("title", .text).notNull()
                table.column("markdown", .text).notNull()
                table.column("html", .text).notNull()
                table.column("published", .datetime).notNull().indexed()
                table.column("updated", .datetime).notNull()
            }
        }
        try migrator.migrate(pool)
    }

    /// The newest entries first, at most `limit` of them (all when `nil`).
    func entries(limit: Int? = nil) throws -> [Entry] {
        try pool.read { db in
            let newestFirst = Entry.order(Column("published").desc, Column("id").desc)
            return try (limit.map { newestFirst.limit($0) } ?? newestFirst).fetchAll(db)
        }
    }

    func entry(slug: String) throws -> Entry? {
        try pool.read { db in try Entry.filter(Column("slug") == slug).fetchOne(db) }
    }

    func entry(id: Int64) throws -> Entry? {
        try pool.read { db in try Entry.fetchOne(db, key: id) }
    }

    func author(id: Int64) throws -> Author? {
        try pool.read { db in try Author.fetchOne(db, key: id) }
    }

    func author(email: String) throws -> Author? {
        try pool.read { db in try Author.filter(Column("email") == email).fetchOne(db) }
    }

    func anyAuthorExists() throws -> Bool {
        try pool.read { db in try Author.fetchCount(db) > 0 }
    }

    /// Adds the first author; `nil` when there is one already (the demo has a single author).
    func createFirstAuthor(email: String, name: String, hashedPassword: String) throws -> Author? {
        try pool.write { db in
            guard try Author.fetchCount(db) == 0 else { return nil }
            var author = Author(email: email, name: name, hashedPassword: hashedPassword)
            try author.insert(db)
            return author
        }
    }

    /// Publishes a new entry under a slug made from `slug`, with "-2" added until no entry has
    /// it, in one transaction.
    func publish(authorID: Int64, slug: String, title: String, markdown: String, html: String) throws -> Entry {
        try pool.write { db in
            var unique = slug
            while try Entry.filter(Column("slug") == unique).fetchCount(db) > 0 { unique += "-2" }
            let now = Date()
            var entry = Entry(
                authorID: authorID, slug: unique, title: title, markdown: markdown, html: html, published: now,
                updated: now)
            try entry.insert(db)
            return entry
        }
    }

    /// Replaces an entry's title and text; `nil` when there is no entry `id`.
    func update(id: Int64, title: String, markdown: String, html: String) throws -> Entry? {
        try pool.write { db in
            guard var entry = try Entry.fetchOne(db, key: id) else { return nil }
            entry.title = title
            entry.markdown = markdown
            entry.html = html
            entry.updated = Date()
            try entry.update(db)
            return entry
        }
    }
}
