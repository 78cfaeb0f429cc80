/// The JSON route's body: an order of about 1 KiB, made afresh for every request and
/// serialized by each framework's own JSON path (Foundation's `JSONEncoder` for Hummingbird and
/// Vapor, `write(_:)`'s `json_encode` writer for Gale, `json.dumps` through Tornado's
/// `write(dict)`).
public struct Order: Codable, Sendable, Equatable {
    /// One line of the order.
    public struct Line: Codable, Sendable, Equatable {
        public var sku: String
        public var name: String
        public var quantity: Int
        public var price: Double
        public var inStock: Bool
    }

    public var id: Int
    public var customer: String
    public var email: String
    public var status: String
    public var paid: Bool
    public var currency: String
    public var tags: [String]
    public var lines: [Line]
    public var total: Double

    /// The order every peer serves: 10 lines, prices in quarters so both languages print the
    /// same numbers.
    public static func make() -> Order {
        let lines = (1...10).map { index in
            Line(
                sku: "SKU-\(1000 + index)",
                name: "Item number \(index)",
                quantity: index % 4 + 1,
                price: Double(index) * 2.25,
                inStock: index % 3 != 0)
        }
        return Order(
            id: 4217,
            customer: "Ann & Bob <Teams>",
            email: "orders+4217@example.com",
            status: "shipped",
            paid: true,
            currency: "EUR",
            tags: ["express", "gift", "fragile"],
            lines: lines,
            total: lines.reduce(0) { $0 + Double($1.quantity) * $1.price })
    }
}
