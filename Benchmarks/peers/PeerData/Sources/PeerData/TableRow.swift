/// One row of the table page (Benchmarks/templates/table.html): the same data as
/// Benchmarks/TemplateBench and Benchmarks/template-bench.py, with names that need escaping.
public struct TableRow: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var email: String
    public var score: Double
    public var active: Bool
    public var tags: [String]

    /// The page's title; it needs escaping too.
    public static let pageTitle = "Users & <Teams>"

    static let baseNames = [
        "Ann & Bob", "<script>alert('x')</script>", "O'Brien \"OB\"", "Zoë Ångström", "Plain Name",
    ]
    static let tagSets: [[String]] = [["admin", "staff"], ["user", "beta", "<new>"], ["guest", "a&b"]]

    /// Rows 1 through `count`, built afresh on each call.
    public static func make(_ count: Int) -> [TableRow] {
        (1...max(count, 1)).map { id in
            TableRow(
                id: id,
                name: "\(baseNames[(id - 1) % baseNames.count]) #\(id)",
                email: "user\(id)+tag@example.com",
                score: Double(id % 40) * 2.5 + Double(id) * 0.1,
                active: id % 3 != 0,
                tags: tagSets[id % 3])
        }
    }
}

/// A row as a logic-less engine (Mustache, Leaf) needs it: what table.html computes in its
/// expressions (the row number, odd/even, high/low, the joined tags) worked out in Swift.
/// Gale and Tornado compute these in the template instead, from `TableRow`.
public struct TableViewRow: Codable, Sendable {
    public var number: Int
    public var parity: String
    public var id: Int
    public var name: String
    public var email: String
    public var score: Double
    public var scoreClass: String
    public var active: Bool
    public var tags: [String]
    public var tagList: String

    /// The view rows of `rows`, in order.
    public static func make(_ rows: [TableRow]) -> [TableViewRow] {
        rows.enumerated().map { index, row in
            TableViewRow(
                number: index + 1,
                parity: index % 2 == 1 ? "odd" : "even",
                id: row.id,
                name: row.name,
                email: row.email,
                score: row.score,
                scoreClass: row.score >= 50 ? "high" : "low",
                active: row.active,
                tags: row.tags,
                tagList: row.tags.joined(separator: ", "))
        }
    }
}

/// The table page's whole context for Mustache and Leaf.
public struct TablePage: Codable, Sendable {
    public var title: String
    public var count: Int
    public var rows: [TableViewRow]

    /// A page of `count` rows, built afresh on each call.
    public static func make(_ count: Int) -> TablePage {
        let rows = TableViewRow.make(TableRow.make(count))
        return TablePage(title: TableRow.pageTitle, count: rows.count, rows: rows)
    }
}
