import Gale

/// `Template(source)` on the input, then `generate` with a small namespace when the source
/// cannot legitimately run for long. Tornado templates run Python expressions, so `while`,
/// big numbers, `*` and `{% set %}` can ask for unbounded work or memory on purpose; such a
/// source is parsed but not rendered (the parser must still hold on it).
enum TemplateFuzz {
    static let namespace: [String: TemplateValue] = [
        "name": "<b>Gale</b> & \"friends\"",
        "count": 3,
        "ratio": 0.5,
        "flag": true,
        "nothing": nil,
        "items": ["a", 1, 2.5, nil, ["nested"]],
        "user": ["name": "ada", "id": 7],
    ]

    static func run(_ input: FuzzInput) {
        guard input.bytes.count <= 4096 else { return }
        let source = input.text
        guard let template = try? Template(source, name: "fuzz.html") else { return }
        guard mayRender(source) else { return }
        _ = try? template.generate(namespace)
    }

    /// Whether rendering `source` is bounded by its size: no `while`, no `set` (doubling a
    /// string in a chain of sets is exponential), no repetition by `*`, at most two `for`
    /// and no number of three digits or more.
    static func mayRender(_ source: String) -> Bool {
        var digitRun = 0
        for byte in source.utf8 {
            digitRun = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? digitRun + 1 : 0
            if digitRun >= 3 || byte == UInt8(ascii: "*") { return false }
        }
        let lowered = source.lowercased()
        if lowered.contains("while") || lowered.contains("set") { return false }
        return lowered.split(separator: "for", omittingEmptySubsequences: false).count <= 3
    }
}
