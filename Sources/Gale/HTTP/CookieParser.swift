/// Parses a `Cookie` request header the way browsers send it and Tornado reads it.
///
/// Tornado: `httputil.parse_cookie`. Pairs are split on `;`; a value in double quotes is
/// unquoted (Python's cookie writer quotes values holding `=`, `,` or spaces, and undoes
/// `\\ooo` octal escapes); a piece without `=` is a value with an empty name, as browsers do.
enum CookieParser {
    /// The name/value pairs in `header`, in order.
    static func parse(_ header: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for piece in header.split(separator: ";", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = piece.firstIndex(of: "=") {
                name = piece[..<equals]
                value = piece[piece.index(after: equals)...]
            } else {
                name = ""
                value = piece
            }
            let trimmedName = name.trimmingSpaces()
            let trimmedValue = value.trimmingSpaces()
            if trimmedName.isEmpty && trimmedValue.isEmpty { continue }
            pairs.append((String(trimmedName), unquote(trimmedValue)))
        }
        return pairs
    }

    /// Undoes Python's `_quote`: strips surrounding quotes and decodes `\"`, `\\` and
    /// `\ooo` (an octal Latin-1 character code, as Python writes `,`, `;` and non-ASCII).
    static func unquote(_ value: Substring) -> String {
        guard value.count >= 2, value.first == "\"", value.last == "\"" else {
            return String(value)
        }
        let inner = Array(value.unicodeScalars.dropFirst().dropLast())
        var out = String.UnicodeScalarView()
        var index = 0
        while index < inner.count {
            let scalar = inner[index]
            guard scalar == "\\", index + 1 < inner.count else {
                out.append(scalar)
                index += 1
                continue
            }
            if index + 3 < inner.count,
                case let digits = inner[index + 1...index + 3],
                ("0"..."3").contains(digits[index + 1]),  // Python's `\\[0-3][0-7][0-7]`
                digits.allSatisfy({ ("0"..."7").contains($0) }),
                let code = Unicode.Scalar(digits.reduce(0) { $0 * 8 + $1.value - 48 })
            {
                out.append(code)
                index += 4
            } else {
                out.append(inner[index + 1])
                index += 2
            }
        }
        return String(out)
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
