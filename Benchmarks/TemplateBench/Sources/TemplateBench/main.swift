// template-bench: how many times a second Gale renders Benchmarks/templates/table.html, a page
// with a 100-row table that extends base.html. Benchmarks/template.sh runs it beside Tornado 6
// rendering the same files with the same data (Benchmarks/template-bench.py) and diffs the two
// outputs.
//
// Usage: template-bench [--seconds S] [--warmup S] [--templates DIR] [--output FILE]
//                       [--mode encode|render|convert|parse]
//
//   --seconds   how long the measured loop runs (default 5)
//   --warmup    an unmeasured loop before it (default 0.5; 0 skips it)
//   --templates the folder holding table.html and base.html (default: ../templates beside this
//               package)
//   --output    writes one render there, byte for byte, for the diff against Tornado
//   --mode      encode (default, the headline): the template is loaded and compiled once; each
//               iteration turns the rows (Encodable structs) into TemplateValues with
//               `TemplateValue(encoding:)` and renders them with `generateUTF8`, which is what a
//               handler's `render` pays for fresh data on every request (issue 14).
//               render: the rows are turned into TemplateValues once; each iteration is one
//               `generateUTF8` (issue 5's measure; Tornado's loop builds its dicts once too).
//               convert: each iteration builds the rows' values directly, as a
//               `TemplateValueConvertible` conformance would, then renders.
//               parse: as encode, with a loader with `cachesTemplates: false`, so each iteration
//               also reads and parses both files again; shows what caching the compiled template
//               saves.
//
// Prints `key: value` lines (renders, seconds, renders_per_s, bytes, sha256 ...) on stdout;
// errors go to stderr with exit status 1.

import Crypto
import Gale

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - the data (Benchmarks/template-bench.py builds exactly the same, as dicts)

struct Row: Encodable {
    let id: Int
    let name: String
    let email: String
    let score: Double
    let active: Bool
    let tags: [String]
}

/// Names with characters the page must escape (`&`, `<`, `>`, quotes) and some non-ASCII.
let baseNames = [
    "Ann & Bob", "<script>alert('x')</script>", "O'Brien \"OB\"", "Zoë Ångström", "Plain Name",
]
let tagSets: [[String]] = [["admin", "staff"], ["user", "beta", "<new>"], ["guest", "a&b"]]
let pageTitle = "Users & <Teams>"

@MainActor func makeRows(_ count: Int) -> [Row] {
    (1...count).map { id in
        Row(
            id: id,
            name: "\(baseNames[(id - 1) % baseNames.count]) #\(id)",
            email: "user\(id)+tag@example.com",
            // Some come out as 13.0 or 6.6000000000000005: both engines must print Python's repr.
            score: Double(id % 40) * 2.5 + Double(id) * 0.1,
            active: id % 3 != 0,
            tags: tagSets[id % 3])
    }
}

// MARK: - arguments

func fail(_ message: String) -> Never {
    let line = "template-bench: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

var seconds = 5.0
var warmup = 0.5
var outputPath: String?
var mode = "encode"
var templates: String = {
    // .../Benchmarks/TemplateBench/Sources/TemplateBench/main.swift -> .../Benchmarks/templates
    let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).dropLast(4)
    return parts.joined(separator: "/") + "/templates"
}()

var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    func value() -> String {
        guard let next = arguments.popFirst() else { fail("\(argument) needs a value") }
        return next
    }
    switch argument {
    case "--seconds":
        guard let number = Double(value()), number > 0, number <= 3600 else { fail("--seconds: 0 < S <= 3600") }
        seconds = number
    case "--warmup":
        guard let number = Double(value()), number >= 0, number <= 600 else { fail("--warmup: 0 <= S <= 600") }
        warmup = number
    case "--templates": templates = value()
    case "--output": outputPath = value()
    case "--mode":
        mode = value()
        guard ["encode", "render", "convert", "parse"].contains(mode) else {
            fail("--mode: encode, render, convert or parse")
        }
    case "-h", "--help":
        print(
            "usage: template-bench [--seconds S] [--warmup S] [--templates DIR] [--output FILE] [--mode encode|render|convert|parse]"
        )
        exit(0)
    default: fail("unknown argument \(argument)")
    }
}

// MARK: - setup: compile once, build the values once

let rows = makeRows(100)
let loader = TemplateLoader(root: templates, cachesTemplates: mode != "parse")
let namespace: [String: TemplateValue]
let template: Template
do {
    template = try loader.load("table.html")
    namespace = ["title": .string(pageTitle), "rows": try TemplateValue(encoding: rows)]
} catch {
    fail("setup: \(error)")
}

/// The keys every row shares, as a `TemplateValueConvertible` conformance keeps them.
let rowKeys = TemplateKeys(["id", "name", "email", "score", "active", "tags"])

/// What a `TemplateValueConvertible` conformance of `Row` would build.
func templateValue(of row: Row) -> TemplateValue {
    .dictionary(
        TemplateDictionary(
            keys: rowKeys,
            values: [
                .int(row.id), .string(row.name), .string(row.email), .double(row.score), .bool(row.active),
                row.tags.templateValue,
            ]))
}

/// One iteration of the measured loop, as `--mode` says: one render as UTF-8 bytes
/// (`generateUTF8`, as a handler's `render` uses it; Tornado's `generate` returns bytes too).
@MainActor func renderBytes() throws -> [UInt8] {
    switch mode {
    case "render":
        return try template.generateUTF8(namespace)
    case "convert":
        return try template.generateUTF8(["title": .string(pageTitle), "rows": .list(rows.map(templateValue(of:)))])
    case "parse":
        return try loader.load("table.html").generateUTF8([
            "title": .string(pageTitle), "rows": try TemplateValue(encoding: rows),
        ])
    default:
        return try template.generateUTF8(["title": .string(pageTitle), "rows": try TemplateValue(encoding: rows)])
    }
}

@MainActor func renderOnce() throws -> String {
    String(decoding: try renderBytes(), as: UTF8.self)
}

// MARK: - check the page once

let page: String
do {
    page = try renderOnce()
    let again = try renderOnce()
    guard again == page else { fail("two renders differ") }
} catch {
    fail("render: \(error)")
}
// Written before the checks, so a failed check can be looked at.
if let outputPath {
    guard FileManager.default.createFile(atPath: outputPath, contents: Data(page.utf8)) else {
        fail("cannot write \(outputPath)")
    }
}
func count(_ needle: String, in text: String) -> Int {
    text.split(separator: needle, omittingEmptySubsequences: false).count - 1
}
let checks: [(String, Bool)] = [
    ("100 table rows", count("<tr class=\"", in: page) == 100),
    ("the title block from table.html", page.contains("<title>Users &amp; &lt;Teams&gt; (100)</title>")),
    (
        "the body inside base.html's layout",
        page.hasPrefix("<!DOCTYPE html>") && page.contains("</table>\n\n</main>")
            && page.hasSuffix("</html>\n")
    ),
    (
        "names escaped",
        page.contains("<td>Ann &amp; Bob #1</td>") && page.contains("&lt;script&gt;alert(&#x27;x&#x27;)")
    ),
    ("no raw <script>", !page.contains("<script>")),
    ("quotes escaped", page.contains("O&#x27;Brien &quot;OB&quot; #3")),
    ("tags joined and escaped", page.contains("title=\"user, beta, &lt;new&gt;\"")),
    (
        "scores as Python's repr",
        page.contains("<td class=\"low\">2.6</td>") && page.contains(">13.0<")
            && page.contains(">6.6000000000000005<")
    ),
    ("the 100th row", page.contains("<td>100</td>") && page.contains("user100+tag@example.com")),
]
for (what, passed) in checks where !passed {
    fail("output check failed: \(what)")
}

// MARK: - the measured loop

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Renders until `length` seconds have passed; the number of renders, the time taken, and the
/// total bytes (used, so the optimizer cannot drop a render).
@MainActor func loop(for length: Double) -> (renders: Int, elapsed: Double, bytes: Int) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .nanoseconds(Int64(length * 1e9))
    var renders = 0
    var bytes = 0
    do {
        repeat {
            bytes &+= try renderBytes().count
            renders += 1
        } while clock.now < deadline
    } catch {
        fail("render: \(error)")
    }
    return (renders, seconds(clock.now - start), bytes)
}

if warmup > 0 { _ = loop(for: warmup) }
let result = loop(for: seconds)
guard result.bytes == result.renders &* page.utf8.count else { fail("a render in the loop had another length") }

let digest = SHA256.hash(data: Array(page.utf8)).map { byte in
    let hex = String(byte, radix: 16)
    return byte < 16 ? "0" + hex : hex
}.joined()

print("engine: gale")
print("mode: \(mode)")
print("renders: \(result.renders)")
print("seconds: \(result.elapsed)")
print("renders_per_s: \(Double(result.renders) / result.elapsed)")
print("us_per_render: \(result.elapsed / Double(result.renders) * 1e6)")
print("bytes: \(page.utf8.count)")
print("sha256: \(digest)")
