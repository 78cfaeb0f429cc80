import Foundation
import Testing

@testable import GaleTemplate

/// `TemplateValue(encoding:)` and `TemplateValueConvertible`: what a handler's Swift values
/// look like inside a template.
@Suite struct TemplateEncodingTests {
    struct Row: Encodable {
        let id: Int
        let name: String
        let score: Double
        let active: Bool
        let tags: [String]
        let note: String?
    }

    struct Page: Encodable {
        let title: String
        let rows: [Row]
        let counts: [String: Int]
        let when: Date
    }

    /// Keys in a custom order, one written twice, and nested containers filled after later keys.
    struct Manual: Encodable {
        enum Keys: String, CodingKey { case b, a, nested, list }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try container.encode(1, forKey: .b)
            try container.encode("x", forKey: .a)
            try container.encode(2, forKey: .b)
            try nested.encode(true, forKey: .a)
            try list.encode(3)
            try list.encode("y")
        }
    }

    enum Level: String, Encodable { case low, high }

    struct Failing: Encodable {
        struct Refused: Error {}
        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(1)
            #expect(container.codingPath.first?.stringValue == "inner")  // paths are found on demand
            throw Refused()
        }
    }

    struct Wrapped: Encodable {
        let inner: [Failing]
    }

    let rows = [
        Row(id: 1, name: "Ann", score: 2.5, active: true, tags: ["a", "b"], note: nil),
        Row(id: 2, name: "Bob", score: 13, active: false, tags: [], note: "n"),
    ]

    @Test func structsBecomeDictionariesInFieldOrder() throws {
        let template = try Template(
            "{% for row in rows %}{{ row['id'] }}:{{ row.name }}:{{ row['score'] }}:{{ row['active'] }}:"
                + "{{ ','.join(row['tags']) }}:{{ row['note'] }}|{% end %}{{ list(rows[0].keys()) }}")
        #expect(
            try template.generate(["rows": try TemplateValue(encoding: rows)])
                == "1:Ann:2.5:True:a,b:None|2:Bob:13.0:False::n|"
                + "[&#x27;id&#x27;, &#x27;name&#x27;, &#x27;score&#x27;, &#x27;active&#x27;, &#x27;tags&#x27;, &#x27;note&#x27;]"
        )
    }

    @Test func rowsOfOneTypeShareTheirKeys() throws {
        guard case .list(let items) = try TemplateValue(encoding: rows),
            case .dictionary(let first) = items[0], case .dictionary(let second) = items[1]
        else {
            Issue.record("not a list of dictionaries")
            return
        }
        #expect(first.keys == ["id", "name", "score", "active", "tags", "note"])
        first.keys.withUnsafeBufferPointer { a in
            second.keys.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
        }
    }

    @Test func nestedValuesDictionariesAndDates() throws {
        let page = Page(
            title: "T", rows: rows, counts: ["z": 1, "a": 2, "m": 3], when: Date(timeIntervalSince1970: 86_400))
        let value = try TemplateValue(encoding: page)
        let template = try Template("{{ p.title }} {{ len(p.rows) }} {{ list(p.counts.keys()) }} {{ p.when }}")
        // String-keyed dictionaries come out sorted, the same in every process.
        #expect(
            try template.generate(["p": value])
                == "T 2 [&#x27;a&#x27;, &#x27;m&#x27;, &#x27;z&#x27;] 86400.0")
    }

    @Test func manualConformancesKeepFirstPlaceLastValue() throws {
        let value = try TemplateValue(encoding: Manual())
        let template = try Template("{% for k, v in m.items() %}{{ k }}={{ v }};{% end %}", autoescape: nil)
        #expect(try template.generate(["m": value]) == "nested={'a': True};list=[3, 'y'];b=2;a=x;")
    }

    @Test func singleValuesAndEnums() throws {
        #expect(try TemplateValue(encoding: Level.high).text == "high")
        #expect(try TemplateValue(encoding: UInt8(7)).text == "7")
        #expect(try TemplateValue(encoding: UInt64.max).text == "18446744073709551615")
        #expect(try TemplateValue(encoding: [Level.low, .high]).text == "['low', 'high']")
        #expect(try TemplateValue(encoding: Optional<Int>.none).text == "None")
    }

    @Test func anEncodingErrorReachesTheCaller() {
        #expect(throws: Failing.Refused.self) { try TemplateValue(encoding: Wrapped(inner: [Failing()])) }
    }

    /// Lookups compare fingerprints (length and first seven bytes) before strings: keys that
    /// share them must still be told apart.
    @Test func keysSharingTheirFirstBytesStayApart() throws {
        let d: TemplateValue = [
            "abcdefgh1": 1, "abcdefgh2": 2, "abcdefg": 3, "abcdefgh": 4, "": 5, "é": 6, "e": 7, "a": 8,
        ]
        let template = try Template(
            "{{ d['abcdefgh2'] }}{{ d['abcdefgh1'] }}{{ d['abcdefg'] }}{{ d['abcdefgh'] }}{{ d[''] }}"
                + "{{ d['é'] }}{{ d['e'] }}{{ d['a'] }}{% if d['abcdefgh2'] == 2 %}!{% end %}")
        #expect(try template.generate(["d": d]) == "21345678!")
        #expect(throws: TemplateError.self) { try Template("{{ d['abcdefgh3'] }}").generate(["d": d]) }
        #expect(throws: TemplateError.self) { try Template("{{ d['abcdefh'] }}").generate(["d": d]) }
    }

    @Test func rowsBuiltOnSharedKeys() throws {
        let keys = TemplateKeys(["id", "name"])
        let rows: [TemplateValue] = (1...3).map {
            .dictionary(TemplateDictionary(keys: keys, values: [.int($0), .string("n\($0)")]))
        }
        let template = try Template("{% for row in rows %}{{ row['id'] }}={{ row.name }} {% end %}{{ rows[0].keys() }}")
        #expect(try template.generate(["rows": .list(rows)]) == "1=n1 2=n2 3=n3 [&#x27;id&#x27;, &#x27;name&#x27;]")
        // Setting a key gives the row keys of its own; the others keep the shared ones.
        guard case .dictionary(var first) = rows[0], case .dictionary(let second) = rows[1] else { return }
        first["extra"] = true
        #expect(first.keys == ["id", "name", "extra"])
        #expect(second.keys == ["id", "name"])
        #expect(keys.names == ["id", "name"])
    }

    @Test func convertibleValuesSkipEncodable() throws {
        struct Entry: Encodable, TemplateValueConvertible {
            var templateValue: TemplateValue { ["direct": true] }
            func encode(to encoder: any Encoder) throws {
                Issue.record("encoded through Encodable")
            }
        }
        #expect(try TemplateValue(encoding: [Entry()]).text == "[{'direct': True}]")
        #expect(["b": 2, "a": 1].templateValue.text == "{'a': 1, 'b': 2}")
        #expect([Optional("x"), nil].templateValue.text == "['x', None]")
    }

    @Test func aTemplateValueEncodesAsItsData() throws {
        let value: TemplateValue = [
            "name": "Zoë", "tags": ["a", 1, 2.5, true, .none],
            "nested": .dictionary(TemplateDictionary([("z", 1), ("a", 2)])),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(json == #"{"name":"Zoë","nested":{"a":2,"z":1},"tags":["a",1,2.5,true,null]}"#)
        // Through Gale's own conversion it is taken as it is, functions included.
        let function = TemplateValue.function(TemplateFunction("f") { _ in .none })
        #expect(try TemplateValue(encoding: function).text == function.text)
        // A foreign encoder cannot write a function.
        #expect(throws: EncodingError.self) { try encoder.encode(["f": function]) }
    }
}
