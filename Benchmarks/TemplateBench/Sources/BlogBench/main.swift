// blog-bench: how many times a second Gale renders Benchmarks/templates/blog.html, a blog page of
// 30 entries (each through entry.html, inside blog-base.html) that uses the template helpers:
// linkify, squeeze, url_escape, json_encode, xhtml_escape and `%` formatting. Benchmarks/blog.sh
// runs it beside Tornado 6 rendering the same files with the same data
// (Benchmarks/blog-bench.py) and compares the two outputs byte for byte.
//
// The handler's data (the blog, its entries and authors) exists once as Swift structs; every
// render turns it into template values with `TemplateValue(encoding:)`, as a handler rendering
// its own values pays on each request (Tornado's side builds its dicts on every render too).
//
// Usage: blog-bench [--seconds S] [--warmup S] [--templates DIR] [--output FILE] [--renders N]
//
//   --renders  exactly N renders and no warm-up instead of a timed loop (for callgrind:
//              Benchmarks/blog.sh PROFILE=N)
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

// MARK: - the handler's data (Benchmarks/blog-bench.py builds the same)

struct Author: Encodable {
    let name: String
    let url: String
    let bio: String
}

/// What `json_encode(entry["data"])` prints; its keys in this order.
struct EntryData: Encodable {
    let id: Int
    let slug: String
    let score: Double
    let tags: [String]
    let title: String
}

struct Entry: Encodable {
    let id: Int
    let slug: String
    let title: String
    let author: Author
    let date: String
    let score: Double
    let comments: Int
    let body: String
    let tags: [String]
    let data: EntryData
}

struct Blog: Encodable {
    let title: String
    let about: String
    let entry_count: Int
}

struct Meta: Encodable {
    let page: Int
    let tag: String
    let count: Int
    let note: String
}

let authors = [
    Author(
        name: "Zoë Ångström", url: "https://example.com/~zoe", bio: "Writes about <Swift> & \"servers\"; café owner."),
    Author(name: "Tom O'Brien", url: "https://example.com/~tom", bio: "Tornado fan since 2009 & proud of it."),
    Author(
        name: "Ann & Bob", url: "https://example.com/~annbob",
        bio: "Two people, one blog: 'we' write <b>together</b>."),
]
let slugs = ["release notes", "zoë's café", "a&b/c"]
let titles = [
    ("Release notes for v", ""), ("Tom & Jerry's <guide>, part ", ""), ("Ünïcödé and you, chapter ", "!"),
    ("Escaping </script> in JSON, take ", ""),
]
let bodies: [(String) -> String] = [
    { i in
        "We shipped version " + i + " today.\n\nRead the notes at https://example.com/releases/v" + i
            + "?ref=blog&lang=en and   the migration guide at www.example.org/guide/" + i
            + ".\tQuestions? (see https://github.com/example/project/issues/" + i + ")."
    },
    { i in
        "A  short   post   about   <templates>  &  escaping.\nNo links here, just   words, spaces and    tabs\t\t"
            + "to squeeze. Entry " + i + " of the series, with a café and some crème brûlée."
    },
    { i in
        "Links in parentheses (like https://en.wikipedia.org/wiki/Python_(programming_language)) are hard; "
            + "so are trailing dots: http://tornadoweb.org/en/stable/. And ftp://files.example.com/pub/" + i
            + " stays text. Also \"quoted\" & 'single' marks."
    },
]
let tagSets = [["swift", "web"], ["tornado", "python & swift"], ["templates", "ünïcode", "c++"]]
let blog = Blog(
    title: "Gale & Tornado <Notes>",
    about: "  A blog about   Swift & Python web servers.\n Source at https://github.com/example/gale and docs at "
        + "www.example.org/docs.  ",
    entry_count: 120)
let page = 2
let tag = "swift & python"

func two(_ number: Int) -> String { (number < 10 ? "0" : "") + String(number) }

let entries: [Entry] = (1...30).map { i in
    let slug = "post-\(i)-" + slugs[i % 3]
    let title = titles[i % 4].0 + String(i) + titles[i % 4].1
    let score = Double(i * 37 % 100) / 8.0 + 0.125  // multiples of 1/8: %.2f meets exact ties
    let tags = tagSets[i % 3]
    return Entry(
        id: 1000 + i, slug: slug, title: title, author: authors[i % 3],
        date: "2021-" + two(i % 12 + 1) + "-" + two(i % 28 + 1), score: score, comments: i * 7 % 23,
        body: bodies[i % 3](String(i)), tags: tags,
        data: EntryData(id: 1000 + i, slug: slug, score: score, tags: tags, title: title))
}

/// The template's values, made from the handler's structs (every render).
func namespace() throws -> [String: TemplateValue] {
    var totalComments = 0
    var totalScore = 0.0
    for entry in entries {
        totalComments += entry.comments
        totalScore += entry.score
    }
    return [
        "blog": try TemplateValue(encoding: blog),
        "entries": try TemplateValue(encoding: entries),
        "page": .int(page),
        "tag": .string(tag),
        "meta": try TemplateValue(
            encoding: Meta(page: page, tag: tag, count: entries.count, note: "</script><script>alert(1)</script>")),
        "total_comments": .int(totalComments),
        "average_score": .double(totalScore / Double(entries.count)),
    ]
}

// MARK: - arguments

func fail(_ message: String) -> Never {
    let line = "blog-bench: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

var seconds = 5.0
var warmup = 0.5
var outputPath: String?
var fixedRenders: Int?
var templates: String = {
    // .../Benchmarks/TemplateBench/Sources/BlogBench/main.swift -> .../Benchmarks/templates
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
    case "--renders":
        guard let number = Int(value()), number > 0, number <= 1_000_000 else { fail("--renders: 1 to 1000000") }
        fixedRenders = number
    case "-h", "--help":
        print("usage: blog-bench [--seconds S] [--warmup S] [--templates DIR] [--output FILE] [--renders N]")
        exit(0)
    default: fail("unknown argument \(argument)")
    }
}

// MARK: - setup: compile once

let loader = TemplateLoader(root: templates)
let template: Template
do {
    template = try loader.load("blog.html")
} catch {
    fail("setup: \(error)")
}

/// One render as UTF-8 bytes (`generateUTF8`, as a handler's `render` uses it), its values
/// made anew.
func renderBytes() throws -> [UInt8] {
    try template.generateUTF8(try namespace())
}

// MARK: - check the page once

let pageText: String
do {
    pageText = String(decoding: try renderBytes(), as: UTF8.self)
    guard String(decoding: try renderBytes(), as: UTF8.self) == pageText else { fail("two renders differ") }
} catch {
    fail("render: \(error)")
}
if let outputPath {
    guard FileManager.default.createFile(atPath: outputPath, contents: Data(pageText.utf8)) else {
        fail("cannot write \(outputPath)")
    }
}
func count(_ needle: String, in text: String) -> Int {
    text.split(separator: needle, omittingEmptySubsequences: false).count - 1
}
let checks: [(String, Bool)] = [
    ("30 entries", count("<article class=\"entry\"", in: pageText) == 30),
    ("links made", count("<a href=\"https://github.com/example/project/issues/", in: pageText) == 10),
    ("no raw </script> in JSON", !pageText.contains("alert(1)</script>")),
    ("inside blog-base.html", pageText.hasPrefix("<!DOCTYPE html>") && pageText.hasSuffix("</html>\n")),
]
for (what, passed) in checks where !passed {
    fail("output check failed: \(what)")
}

// MARK: - the measured loop

func elapsed(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Renders until `length` seconds have passed (or `count` times); the renders, the time taken,
/// and the total bytes.
func loop(for length: Double, count: Int? = nil) -> (renders: Int, elapsed: Double, bytes: Int) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .nanoseconds(Int64(length * 1e9))
    var renders = 0
    var bytes = 0
    do {
        repeat {
            bytes &+= try renderBytes().count
            renders += 1
        } while count.map { renders < $0 } ?? (clock.now < deadline)
    } catch {
        fail("render: \(error)")
    }
    return (renders, elapsed(clock.now - start), bytes)
}

if warmup > 0 && fixedRenders == nil { _ = loop(for: warmup) }
let result = loop(for: seconds, count: fixedRenders)
guard result.bytes == result.renders &* pageText.utf8.count else { fail("a render in the loop had another length") }

let digest = SHA256.hash(data: Array(pageText.utf8)).map { byte in
    let hex = String(byte, radix: 16)
    return byte < 16 ? "0" + hex : hex
}.joined()

print("engine: gale")
print("renders: \(result.renders)")
print("seconds: \(result.elapsed)")
print("renders_per_s: \(Double(result.renders) / result.elapsed)")
print("us_per_render: \(result.elapsed / Double(result.renders) * 1e6)")
print("bytes: \(pageText.utf8.count)")
print("sha256: \(digest)")
