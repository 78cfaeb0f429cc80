// template-diff: renders differential-fuzz cases with Gale's template engine and `Escape`.
//
// Reads JSON lines on stdin, one case each:
//   {"template": SOURCE, "vars": [[NAME, VALUE], ...]}   Template(SOURCE).generate(vars)
//   {"escape": NAME, "text": TEXT}                       Escape.NAME(TEXT) (xhtml_escape,
//                                                        url_escape, url_escape_noplus,
//                                                        squeeze, linkify, json_encode)
// VALUE is JSON: null, true/false, integers, strings and arrays as themselves, and a dictionary
// as {"d": [[KEY, VALUE], ...]} so its order survives. Writes one JSON line for each case:
//   {"ok": OUTPUT} or {"error": "parse" | "eval", "message": MESSAGE}
// ("parse" when `Template(_:)` throws, "eval" when `generate` does). Tests/Fuzz/Differential/
// fuzz.py drives it against Tornado 6.

import Gale

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A case's value, decoded from the JSON form above.
struct CaseValue: Decodable {
    var value: TemplateValue

    private struct Pair: Decodable {
        var key: String
        var value: TemplateValue
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            key = try container.decode(String.self)
            value = try container.decode(CaseValue.self).value
        }
    }

    private enum Keys: String, CodingKey { case d }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Keys.self) {
            let pairs = try keyed.decode([Pair].self, forKey: .d)
            value = .dictionary(TemplateDictionary(pairs.map { ($0.key, $0.value) }))
            return
        }
        if var list = try? decoder.unkeyedContainer() {
            var items: [TemplateValue] = []
            while !list.isAtEnd { items.append(try list.decode(CaseValue.self).value) }
            value = .list(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            value = .none
        } else if let bool = try? single.decode(Bool.self) {
            value = .bool(bool)
        } else if let int = try? single.decode(Int.self) {
            value = .int(int)
        } else {
            value = .string(try single.decode(String.self))
        }
    }
}

/// One line of input.
struct Case: Decodable {
    var template: String?
    var vars: [[CaseValue]]?
    var escape: String?
    var text: CaseValue?
}

/// One line of output.
struct Outcome: Encodable {
    var ok: String?
    var error: String?
    var message: String?
}

func run(_ item: Case) -> Outcome {
    if let source = item.template {
        var namespace: [String: TemplateValue] = [:]
        for pair in item.vars ?? [] {
            guard pair.count == 2, case .string(let name) = pair[0].value else {
                return Outcome(error: "input", message: "vars must be [name, value] pairs")
            }
            namespace[name] = pair[1].value
        }
        let template: Template
        do {
            template = try Template(source)
        } catch {
            return Outcome(error: "parse", message: error.description)
        }
        do {
            return Outcome(ok: try template.generate(namespace))
        } catch {
            return Outcome(error: "eval", message: error.description)
        }
    }
    guard let name = item.escape else {
        return Outcome(error: "input", message: "a case needs `template` or `escape`")
    }
    // `"text": null` decodes as a missing `text`: json_encode(None).
    let argument = item.text?.value ?? .none
    let text: String
    if case .string(let string) = argument { text = string } else { text = "" }
    switch name {
    case "xhtml_escape": return Outcome(ok: Escape.xhtmlEscape(text))
    case "url_escape": return Outcome(ok: Escape.urlEscape(text))
    case "url_escape_noplus": return Outcome(ok: Escape.urlEscape(text, plus: false))
    case "squeeze": return Outcome(ok: Escape.squeeze(text))
    case "linkify": return Outcome(ok: Escape.linkify(text))
    case "linkify_shorten": return Outcome(ok: Escape.linkify(text, shorten: true))
    case "json_encode": return Outcome(ok: Escape.jsonEncode(argument))
    default: return Outcome(error: "input", message: "no escape function \(name)")
    }
}

let decoder = JSONDecoder()
let encoder = JSONEncoder()
encoder.outputFormatting = [.withoutEscapingSlashes]
while let line = readLine(strippingNewline: true) {
    if line.isEmpty { continue }
    let outcome: Outcome
    do {
        outcome = run(try decoder.decode(Case.self, from: Data(line.utf8)))
    } catch {
        outcome = Outcome(error: "input", message: "bad case: \(error)")
    }
    let data = (try? encoder.encode(outcome)) ?? Data(#"{"error":"input","message":"unencodable"}"#.utf8)
    print(String(decoding: data, as: UTF8.self))
}
