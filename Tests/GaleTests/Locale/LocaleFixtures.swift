import Foundation

@testable import Gale

/// Paths of the committed locale fixtures (Tests/GaleTests/Fixtures/locale/, made by
/// Scripts/make-locale-fixtures.py) and the outputs real Tornado gave for them
/// (tornado-expected.json, made by Scripts/tornado-locale-expected.py).
enum LocaleFixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // Locale/
        url.deleteLastPathComponent()  // GaleTests/
        return url.appendingPathComponent("Fixtures/locale").path
    }()

    static func path(_ relative: String) -> String {
        root + "/" + relative
    }

    static func csv() throws -> Translations {
        try Translations(csvDirectory: path("csv"))
    }

    static func gettext() throws -> Translations {
        try Translations(gettextDirectory: path("gettext"), domain: "gale")
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gale-locale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Decoded once for all tests.
    private static let decoded = Result {
        let data = try Data(contentsOf: URL(fileURLWithPath: path("tornado-expected.json")))
        return try JSONDecoder().decode(TornadoExpected.self, from: data)
    }

    static func expected() throws -> TornadoExpected {
        try decoded.get()
    }

    static func date(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: seconds)
    }
}

/// tornado-expected.json. Rows written by Python as arrays are decoded position by position.
struct TornadoExpected: Decodable {
    struct Translate: Decodable {
        var loader: String
        var locale: String
        var context: String?
        var message: String
        var plural: String?
        var count: Int?
        var result: String
    }

    struct FormatDate: Decodable {
        var locale: String
        var now: Double
        var date: Double
        var gmtOffset: Int
        var relative: Bool
        var shorter: Bool
        var fullFormat: Bool
        var result: String

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            locale = try row.decode(String.self)
            now = try row.decode(Double.self)
            date = try row.decode(Double.self)
            gmtOffset = try row.decode(Int.self)
            relative = try row.decode(Bool.self)
            shorter = try row.decode(Bool.self)
            fullFormat = try row.decode(Bool.self)
            result = try row.decode(String.self)
        }
    }

    struct FormatDay: Decodable {
        var locale: String
        var date: Double
        var gmtOffset: Int
        var dayOfWeek: Bool
        var result: String

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            locale = try row.decode(String.self)
            date = try row.decode(Double.self)
            gmtOffset = try row.decode(Int.self)
            dayOfWeek = try row.decode(Bool.self)
            result = try row.decode(String.self)
        }
    }

    struct ListCase: Decodable {
        var locale: String
        var parts: [String]
        var result: String

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            locale = try row.decode(String.self)
            parts = try row.decode([String].self)
            result = try row.decode(String.self)
        }
    }

    struct NumberCase: Decodable {
        var locale: String
        var value: Int
        var result: String

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            locale = try row.decode(String.self)
            value = try row.decode(Int.self)
            result = try row.decode(String.self)
        }
    }

    struct LocaleInfo: Decodable {
        var code: String
        var name: String
        var rtl: Bool

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            code = try row.decode(String.self)
            name = try row.decode(String.self)
            rtl = try row.decode(Bool.self)
        }
    }

    struct Closest: Decodable {
        var loader: String
        var `default`: String
        var codes: [String]
        var header: String?
        var fallback: String?
        var result: String
    }

    struct CSVLoad: Decodable {
        var supported: [String]
        var catalogs: [String: [String: [String: String]]]
    }

    struct GettextEntry: Decodable {
        var msgid: String
        var index: Int
        var translation: String

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            msgid = try row.decode(String.self)
            index = try row.decode(Int.self)
            translation = try row.decode(String.self)
        }
    }

    struct GettextCatalogDump: Decodable {
        var entries: [GettextEntry]
        var plural: [Int?]
    }

    struct GettextLoad: Decodable {
        var supported: [String]
        var catalogs: [String: [GettextCatalogDump]]
    }

    struct Plural: Decodable {
        var expression: String
        var error: String?
        var values: [Int?]?
    }

    struct MOPrefixes: Decodable {
        var file: String
        var size: Int
        var accepted: [Int]
    }

    var tornado: String
    var counts: [Int]
    var localeNames: [String: [String]]
    var localeInfo: [LocaleInfo]
    var csv: CSVLoad
    var csvUTF16: CSVLoad
    var gettext: GettextLoad
    var translate: [Translate]
    var formatDate: [FormatDate]
    var formatDay: [FormatDay]
    var list: [ListCase]
    var friendlyNumber: [NumberCase]
    var closest: [Closest]
    var plural: [Plural]
    var moPrefixes: [MOPrefixes]
}
