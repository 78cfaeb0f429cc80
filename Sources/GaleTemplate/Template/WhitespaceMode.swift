/// How a template's literal text keeps its whitespace. Tornado: `{% whitespace mode %}` and
/// `tornado.template.filter_whitespace`; `.html` and `.js` files default to `single`.
public enum WhitespaceMode: String, Sendable {
    /// Unchanged.
    case all
    /// Runs of spaces and tabs become one space; whitespace around a newline becomes the newline.
    case single
    /// Every whitespace run becomes one space.
    case oneline

    /// The default for a template name: `single` for `.html` and `.js`, else `all`.
    public static func `default`(for name: String) -> WhitespaceMode {
        name.hasSuffix(".html") || name.hasSuffix(".js") ? .single : .all
    }

    /// `text` filtered by this mode.
    public func filter(_ text: String) -> String {
        switch self {
        case .all:
            return text
        case .oneline:
            var out = ""
            var inRun = false
            for scalar in text.unicodeScalars {
                if scalar.properties.isWhitespace {
                    if !inRun { out += " " }
                    inRun = true
                } else {
                    out.unicodeScalars.append(scalar)
                    inRun = false
                }
            }
            return out
        case .single:
            // re.sub(r"([\t ]+)", " ", text) then re.sub(r"(\s*\n\s*)", "\n", text)
            var out = ""
            var run = String.UnicodeScalarView()
            func flush(_ out: inout String, _ run: inout String.UnicodeScalarView) {
                guard !run.isEmpty else { return }
                if run.contains("\n") {
                    out += "\n"
                } else {
                    // Spaces and tabs collapse; other whitespace (\r, \f, \v) stays as written.
                    var previousWasBlank = false
                    for scalar in run {
                        let blank = scalar == " " || scalar == "\t"
                        if blank {
                            if !previousWasBlank { out += " " }
                        } else {
                            out.unicodeScalars.append(scalar)
                        }
                        previousWasBlank = blank
                    }
                }
                run = String.UnicodeScalarView()
            }
            for scalar in text.unicodeScalars {
                if scalar.properties.isWhitespace {
                    run.append(scalar)
                } else {
                    flush(&out, &run)
                    out.unicodeScalars.append(scalar)
                }
            }
            flush(&out, &run)
            return out
        }
    }
}
