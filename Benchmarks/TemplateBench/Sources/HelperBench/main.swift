// helper-bench: nanoseconds a call for each template helper of Gale (xhtml_escape, url_escape,
// json_encode, squeeze, linkify, `%` formatting, locale.format_date), on the same inputs that
// Benchmarks/helpers-bench.py gives Tornado 6's. Benchmarks/helpers.sh runs both, compares
// their outputs byte for byte, then sets the timings side by side.
//
// Usage: helper-bench [--seconds S] [--warmup S] [--recent UNIX_TIME] [--output FILE] [--only NAME]
//                     [--calls N]
//
//   --seconds  how long each helper's measured loop runs (default 0.5)
//   --warmup   an unmeasured loop before each (default 0.1; 0 skips it)
//   --recent   the timestamp of the "recent" format_date case (default: now minus 3 days and
//              1234 s); the script passes one value to both sides so their outputs agree
//   --output   writes every case's output there (`== name` then the output), for the check
//   --only     runs the cases whose name contains NAME
//   --calls    exactly N calls of each case and no warm-up instead of timed loops (for
//              callgrind: instruction counts do not drift with the machine's load)
//
// Prints `name<TAB>ns_per_call<TAB>calls` lines on stdout; errors go to stderr with exit status 1.

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

func fail(_ message: String) -> Never {
    let line = "helper-bench: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

var seconds = 0.5
var warmup = 0.1
var recent = Int(Date().timeIntervalSince1970) - 3 * 86_400 - 1_234
var outputPath: String?
var only: String?
var fixedCalls: Int?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    func value() -> String {
        guard let next = arguments.popFirst() else { fail("\(argument) needs a value") }
        return next
    }
    switch argument {
    case "--seconds":
        guard let number = Double(value()), number > 0, number <= 600 else { fail("--seconds: 0 < S <= 600") }
        seconds = number
    case "--warmup":
        guard let number = Double(value()), number >= 0, number <= 60 else { fail("--warmup: 0 <= S <= 60") }
        warmup = number
    case "--recent":
        guard let number = Int(value()) else { fail("--recent: a Unix time in seconds") }
        recent = number
    case "--output": outputPath = value()
    case "--only": only = value()
    case "--calls":
        guard let number = Int(value()), number > 0, number <= 100_000_000 else { fail("--calls: 1 to 100000000") }
        fixedCalls = number
    case "-h", "--help":
        print(
            "usage: helper-bench [--seconds S] [--warmup S] [--recent UNIX_TIME] [--output FILE] [--only NAME] [--calls N]"
        )
        exit(0)
    default: fail("unknown argument \(argument)")
    }
}

// MARK: - the inputs (Benchmarks/helpers-bench.py has the same, as Python values)

/// 250 characters of a post with three links: one with a query and `&`, one `www.` link, one
/// in parentheses followed by punctuation.
let linkText =
    "Shipped the new release today! Notes at https://example.com/blog/2024/release-notes?utm_source=feed&ref=home "
    + "and the docs moved to www.example.org/docs/latest (see https://github.com/example/project/issues/42). "
    + "Thanks, Zoë & team."
let plainText = String(repeating: "Nothing to link in this sentence, only words and commas. ", count: 4)
let escapeText = "Tom & Jerry <tom@example.com> said \"hi\" & it's <b>bold</b> — café crème, 5 > 3 & 2 < 4."
let plainEscapeText = "A plain sentence of about one hundred characters with no markup at all in it, café crème."
let urlText = "Zoë's café & bar/menu?item=crème brûlée&page=2"
let squeezeText =
    "  The quick\tbrown fox\n\n   jumps over\r\n the lazy dog.   Again:\t\tthe quick brown fox\n jumps over the lazy dog.  "
let jsonValue: TemplateValue = [
    "id": 42, "title": "Hello </script> world", "author": "Zoë", "tags": ["swift", "tornado", "<web>"],
    "score": .double(3.25), "published": true, "ratio": .double(0.1), "parent": nil,
]
let oldDate = 1_589_896_800.0 + 3_723  // 2020-05-19 14:02:03 UTC: more than 334 days ago, the full format
let english = Gale.Locale(code: "en_US")

/// One helper call on its input.
struct Case {
    let name: String
    let run: () throws -> String
}

func percent(_ pattern: String, _ argument: TemplateValue) -> Case {
    Case(name: "percent \(pattern)") { try PercentFormat.apply(pattern, to: argument) }
}

let cases: [Case] = [
    Case(name: "xhtml_escape 100 chars, 12 specials") { Escape.xhtmlEscape(escapeText) },
    Case(name: "xhtml_escape 100 chars, none") { Escape.xhtmlEscape(plainEscapeText) },
    Case(name: "url_escape plus") { Escape.urlEscape(urlText) },
    Case(name: "url_escape path") { Escape.urlEscape(urlText, plus: false) },
    Case(name: "json_encode dict of 8") { Escape.jsonEncode(jsonValue) },
    Case(name: "squeeze 120 chars") { Escape.squeeze(squeezeText) },
    Case(name: "linkify 250 chars, 3 links") { Escape.linkify(linkText) },
    Case(name: "linkify 230 chars, no link") { Escape.linkify(plainText) },
    Case(name: "linkify shorten + extra_params") {
        Escape.linkify(linkText, shorten: true, extraParams: "rel=\"nofollow\"")
    },
    percent("%.2f", .double(3.14159)),
    percent("%d comments", 12),
    percent("%5.1f%%", .double(42.25)),
    percent("%(name)s has %(count)d posts", ["name": "Zoë", "count": 3]),
    percent("%s and %s", ["a", 1]),
    Case(name: "format_date old (full)") { english.formatDate(Date(timeIntervalSince1970: oldDate)) },
    Case(name: "format_date recent (weekday)") { english.formatDate(Date(timeIntervalSince1970: Double(recent))) },
].filter { helper in only.map { helper.name.contains($0) } ?? true }

guard !cases.isEmpty else { fail("no case matches --only \(only ?? "")") }

// MARK: - outputs, for the check against Tornado

var outputs = ""
do {
    for helper in cases { outputs += "== \(helper.name)\n\(try helper.run())\n" }
} catch {
    fail("a helper failed: \(error)")
}
if let outputPath {
    guard FileManager.default.createFile(atPath: outputPath, contents: Data(outputs.utf8)) else {
        fail("cannot write \(outputPath)")
    }
}

// MARK: - the measured loops

func elapsed(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Calls `helper` in batches of 100 until `length` seconds have passed (or `count` times, rounded
/// up to a batch); the calls and the time.
func loop(_ helper: Case, for length: Double, count: Int? = nil) -> (calls: Int, seconds: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + .nanoseconds(Int64(length * 1e9))
    var calls = 0
    var bytes = 0
    do {
        repeat {
            for _ in 0..<100 { bytes &+= try helper.run().utf8.count }
            calls += 100
        } while count.map { calls < $0 } ?? (clock.now < deadline)
    } catch {
        fail("\(helper.name): \(error)")
    }
    if bytes == 0 { print("", terminator: "") }  // uses the outputs, so no call is optimized away
    return (calls, elapsed(clock.now - start))
}

for helper in cases {
    if warmup > 0 && fixedCalls == nil { _ = loop(helper, for: warmup) }
    let result = loop(helper, for: seconds, count: fixedCalls)
    print("\(helper.name)\t\(result.seconds / Double(result.calls) * 1e9)\t\(result.calls)")
}
