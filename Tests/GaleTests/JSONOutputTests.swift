import Gale
import GaleTesting
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Swift side of each case Tests/Scripts/record_json_cases.py recorded from Tornado.
enum JSONCases {
    struct Line: Encodable {
        var sku: String
        var name: String
        var quantity: Int
        var price: Double
        var inStock: Bool
    }

    struct Shipment: Encodable {
        var id = 4217
        var customer = "Ann & Bob <Teams>"
        var note = "</script><script>alert(1)</script>"
        var paid = true
        var coupon: String? = nil
        var tags = ["express", "gift"]
        var lines = (1...3).map { index in
            Line(
                sku: "SKU-\(1000 + index)", name: "Item number \(index)", quantity: index % 4 + 1,
                price: Double(index) * 2.25, inStock: index % 3 != 0)
        }
        var total: Double { lines.reduce(0) { $0 + Double($1.quantity) * $1.price } }

        enum CodingKeys: String, CodingKey { case id, customer, note, paid, coupon, tags, lines, total }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(customer, forKey: .customer)
            try container.encode(note, forKey: .note)
            try container.encode(paid, forKey: .paid)
            try container.encodeIfPresent(coupon, forKey: .coupon)
            try container.encode(tags, forKey: .tags)
            try container.encode(lines, forKey: .lines)
            try container.encode(total, forKey: .total)
        }
    }

    struct Texts: Encodable {
        var quote = #"say "hi" \ back"#
        var controls = "tab\tnl\ncr\rnul\u{0}bell\u{7}bs\u{8}ff\u{C}esc\u{1B}del\u{7F}"
        var latin = "Zoë Ångström"
        var astral = "😀 𝄞"
        var separators = "\u{2028}\u{2029}\u{FEFF}"
        var slashes = #"a/b </c> <\/d> //"#
        var empty = ""
    }

    struct Numbers: Encodable {
        var doubles = [
            0.1, 1e16, 1e-05, 100.0, -0.0, 2.25, 1.5e300, 123456789.125, Double.leastNonzeroMagnitude,
            1.7976931348623157e308, 1e22,
            0.000123,
        ]
        var float: Float = 0.1
        var ints = [0, -1, Int.max, Int.min]
        var small: Int8 = 7
        var flags = [true, false]
    }

    /// Built in an order other than the sorted one.
    static let sorted: [String: Int] = ["zeta": 1, "alpha": 2, "Beta": 3, "_": 4, "été": 5, "a b": 6]

    struct Nested: Encodable {
        var maybe: Int? = nil
        var twice: String?? = .some(nil)
        var some: String? = "x"
        var list: [Int?] = [nil, 1, nil]
        var empty: [String] = []
        var object: [String: Int] = [:]
    }

    /// Foundation values JSON has no type for, as the doc comment of `write(_:)` says.
    struct Foundation: Encodable {
        var date = Date(timeIntervalSince1970: 1_700_000_000.5)
        var url = URL(string: "https://example.com/a?b=c")
        var data = Data([0, 1, 2, 255])
    }

    struct Line2: Encodable {
        var price: Double
    }

    /// A value JSON cannot hold, two levels down.
    struct NotANumber: Encodable {
        var lines = [Line2(price: 1.5), Line2(price: .nan)]
    }

    /// An `encode(to:)` that fails after writing one field.
    struct Refusing: Encodable {
        struct Refused: Error {}
        enum CodingKeys: CodingKey { case first, second }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("written", forKey: .first)
            throw Refused()
        }
    }

    /// Both `Encodable` (which fails) and `TemplateValueConvertible`: the latter is used.
    struct Direct: Encodable, TemplateValueConvertible {
        func encode(to encoder: any Encoder) throws { throw Refusing.Refused() }
        var templateValue: TemplateValue { ["direct": true, "list": [1, "two"]] }
    }
}

final class JSONCaseHandler: RequestHandler {
    override func get() throws {
        switch request.path {
        case "/shipment": try write(JSONCases.Shipment())
        case "/strings": try write(JSONCases.Texts())
        case "/numbers": try write(JSONCases.Numbers())
        case "/sorted": try write(JSONCases.sorted)
        case "/nested": try write(JSONCases.Nested())
        case "/foundation": try write(JSONCases.Foundation())
        case "/direct": try write(JSONCases.Direct())
        case "/nan": try write(JSONCases.NotANumber())
        case "/infinity": try write(-Double.infinity)
        case "/refusing": try write(JSONCases.Refusing())
        case "/recovers":
            // The handler catches the failure and answers itself: what it wrote before and
            // after is all the body holds, and the type is not JSON's.
            try write("before;")
            do { try write(JSONCases.NotANumber()) } catch { try write("\(error);") }
            do { try write(JSONCases.Refusing()) } catch { try write("refused;") }
            try write("after")
        default: throw HTTPError(404)
        }
    }
}

@Suite struct JSONOutputTests {
    let app: Application

    init() throws {
        app = Application([try URLSpec("/.*", JSONCaseHandler.self)]).quiet()
    }

    @Test(arguments: [
        ("/shipment", RecordedJSONCases.shipment), ("/strings", RecordedJSONCases.strings),
        ("/numbers", RecordedJSONCases.numbers), ("/sorted", RecordedJSONCases.sorted),
        ("/nested", RecordedJSONCases.nested),
    ])
    func bodyIsTornados(path: String, tornado: String) async throws {
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get(path)
            #expect(response.status == 200)
            #expect(response.text == tornado)
            #expect(response.headers["Content-Type"] == RecordedJSONCases.contentType)
        }
    }

    @Test(arguments: TestMode.allCases)
    func everyTransportSendsTheSameBytes(mode: TestMode) async throws {
        try await app.test(mode) { client async throws in
            let first = try await client.get("/shipment")
            #expect(first.text == RecordedJSONCases.shipment)
            // Deterministic: the same body, so the same Etag, on every request and process.
            let again = try await client.get("/sorted")
            let other = try await client.get("/sorted")
            #expect(again.text == RecordedJSONCases.sorted)
            #expect(again.headers["Etag"] != nil)
            #expect(again.headers["Etag"] == other.headers["Etag"])
        }
    }

    @Test func foundationValuesAndConvertibleValues() async throws {
        try await app.test(.inMemory) { client async throws in
            // Seconds since 1970, the absolute string, Base64 ("/" is escaped only after "<").
            #expect(
                try await client.get("/foundation").text
                    == #"{"date": 1700000000.5, "url": "https://example.com/a?b=c", "data": "AAEC/w=="}"#)
            // `templateValue`, never the failing `encode(to:)`.
            let direct = try await client.get("/direct")
            #expect(direct.status == 200)
            #expect(direct.text == #"{"direct": true, "list": [1, "two"]}"#)
        }
    }

    @Test(arguments: ["/nan", "/infinity", "/refusing"])
    func aValueThatCannotBeWrittenFailsTheRequestCleanly(path: String) async throws {
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get(path)
            #expect(response.status == 500)
            #expect(response.headers["Content-Type"] == "text/html; charset=UTF-8")
            #expect(!response.text.contains("{"))
            // The process keeps serving.
            #expect(try await client.get("/nested").text == RecordedJSONCases.nested)
        }
    }

    @Test func aHandlerCanRecoverFromAFailedWrite() async throws {
        try await app.test(.inMemory) { client async throws in
            let response = try await client.get("/recovers")
            #expect(response.status == 200)
            #expect(
                response.text
                    == "before;cannot write lines[1].price as JSON: nan (JSON has no NaN or Infinity);refused;after")
            #expect(response.headers["Content-Type"] == "text/html; charset=UTF-8")
        }
    }

    /// JSON numbers beyond `Int` (which Python would write as digits) come out as strings, as
    /// the guide says; those within it stay numbers.
    @Test func integersBeyondIntAreStrings() throws {
        struct Widths: Encodable {
            var big = UInt64.max
            var fits: UInt64 = 42
            var small: UInt8 = 255
            var negative: Int32 = -7
        }
        var output: [UInt8] = []
        try Escape.appendStrictJSON(try TemplateValue(encoding: Widths()), to: &output)
        #expect(
            String(decoding: output, as: UTF8.self)
                == #"{"big": "18446744073709551615", "fits": 42, "small": 255, "negative": -7}"#)
    }

    @Test func theErrorNamesWhereTheValueIs() throws {
        var output: [UInt8] = []
        #expect(throws: Never.self) { try Escape.appendStrictJSON(["a": [1, 2.5]], to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == #"{"a": [1, 2.5]}"#)
        let error = #expect(throws: JSONEncodingError.self) {
            try Escape.appendStrictJSON(["a": [1, .double(.infinity)]], to: &output)
        }
        #expect(error?.path == "a[1]")
        #expect(error?.description == "cannot write a[1] as JSON: inf (JSON has no NaN or Infinity)")
        let top = #expect(throws: JSONEncodingError.self) { try Escape.appendStrictJSON(.double(.nan), to: &output) }
        #expect(top?.description == "cannot write as JSON: nan (JSON has no NaN or Infinity)")
        // A template's `json_encode` is not strict: it writes what JavaScript reads.
        #expect(Escape.jsonEncode(["a": .double(.nan), "b": .double(-.infinity)]) == #"{"a": NaN, "b": -Infinity}"#)
    }
}
