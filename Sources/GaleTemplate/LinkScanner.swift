/// Finds links in raw UTF-8 text exactly where Tornado's `linkify` regular expression finds
/// them in the HTML-escaped text:
///
/// ```
/// \b((?:([\w-]+):(/{1,3})|www[.])(?:(?:(?:[^\s&()]|&amp;|&quot;)*
///     (?:[^!"#$%&'()*+,.:;<=>?@\[\]^`{|}~\s]))|(?:\((?:[^\s&()]|&amp;|&quot;)*\)))+)
/// ```
///
/// Working on the raw text saves escaping first: `&` and `"` escape to `&amp;` and `&quot;`,
/// which the expression takes inside a link but never at its end; `'`, `<` and `>` escape to
/// entities it does not take, so they end a link as whitespace and parentheses do.
///
/// How the expression matches, read as a scan:
/// - A link starts at a run of `[\w-]` characters followed by `:/` (the scheme; the match
///   starts at the run's first word character, where `\b` holds), or at `www.` with no word
///   character before it.
/// - The body is a sequence of pieces, each as long as it can be: a stretch of allowed
///   characters cut back to its last "end" character (not punctuation), or a parenthesised
///   stretch `(...)` with no parentheses inside. A body needs one piece.
/// - Up to three slashes go to the scheme; if no body follows them, one fewer is taken and
///   the body starts with the last slash.
/// - Matches do not overlap: after a link (permitted or not), the scan goes on after its end.
struct LinkScanner {
    /// One match: the link's bytes, and for a scheme link the scheme's bytes and how many
    /// slashes followed its colon.
    struct Link {
        var start: Int
        var end: Int
        var scheme: Range<Int>?
        var slashes: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>

    /// The first link at or after `from`, which must be 0 or the end of the previous link.
    func link(from: Int) -> Link? {
        let count = bytes.count
        var index = from
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                if index + 1 < count && bytes[index + 1] == UInt8(ascii: "/"),
                    let start = schemeStart(from: from, colon: index)
                {
                    var slashes = 1
                    while slashes < 3 && index + 1 + slashes < count && bytes[index + 1 + slashes] == UInt8(ascii: "/")
                    {
                        slashes += 1
                    }
                    if let end = bodyEnd(from: index + 1 + slashes) {
                        return Link(start: start, end: end, scheme: start..<index, slashes: slashes)
                    }
                    if slashes > 1, let end = bodyEnd(from: index + slashes) {
                        return Link(start: start, end: end, scheme: start..<index, slashes: slashes - 1)
                    }
                }
            } else if byte == UInt8(ascii: ".") {
                if index - 3 >= from && bytes[index - 1] == UInt8(ascii: "w") && bytes[index - 2] == UInt8(ascii: "w")
                    && bytes[index - 3] == UInt8(ascii: "w") && !PythonCharacters.isWord(bytes, endingAt: index - 3),
                    let end = bodyEnd(from: index + 1)
                {
                    return Link(start: index - 3, end: end, scheme: nil, slashes: 0)
                }
            }
            index += 1
        }
        return nil
    }

    /// Where a scheme ending at `colon` starts: the first word character of the `[\w-]` run
    /// before the colon (a run of only `-` has none, so no link).
    private func schemeStart(from: Int, colon: Int) -> Int? {
        var start = colon
        var firstWord: Int?
        while start > from {
            let previous = bytes[start - 1]
            if previous < 0x80 {
                guard PythonCharacters.isASCIIWord(previous) || previous == UInt8(ascii: "-") else { break }
                start -= 1
                if previous != UInt8(ascii: "-") { firstWord = start }
            } else {
                let lead = PythonCharacters.scalarStart(bytes, before: start)
                guard lead >= from, PythonCharacters.isWord(PythonCharacters.scalar(bytes, at: lead).scalar) else {
                    break
                }
                start = lead
                firstWord = start
            }
        }
        return firstWord
    }

    /// The bytes that `[^\s&()]` (with `&amp;` and `&quot;`) takes but that cannot end a
    /// link, as bits of two words (bytes below 64, then 64 to 127): `! " # $ % & * + , . : ; =
    /// ?`, then `@ [ ] ^ ` { | } ~`. Not `\`: in the expression's `\[\]` the backslashes
    /// escape the brackets, so a link may end with a backslash.
    private static let innerLow: UInt64 = 0xAC00_5C7E_0000_0000
    private static let innerHigh: UInt64 = 0x7800_0001_6800_0001
    /// The ASCII bytes that end a stretch: whitespace (`\t \n \v \f \r`, `\x1c` to `\x1f`,
    /// space), parentheses, and `' < >` (whose entities the expression does not take).
    private static let stopLow: UInt64 = 0x5000_0381_F000_3E00

    /// What an ASCII byte is inside a link.
    private enum Kind {
        case stop, inner, end
    }

    @inline(__always)
    private static func kind(_ byte: UInt8) -> Kind {
        if byte < 64 {
            let bit: UInt64 = 1 << UInt64(byte)
            return stopLow & bit != 0 ? .stop : innerLow & bit != 0 ? .inner : .end
        }
        return innerHigh & (1 << UInt64(byte - 64)) != 0 ? .inner : .end
    }

    /// The end of the longest body starting at `start`, or `nil` when not even one piece fits.
    private func bodyEnd(from start: Int) -> Int? {
        let count = bytes.count
        var position = start
        while position < count {
            // A stretch of allowed characters, cut back to its last end character.
            var index = position
            var lastEnd = position
            scan: while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    switch Self.kind(byte) {
                    case .stop: break scan
                    case .inner: index += 1
                    case .end:
                        index += 1
                        lastEnd = index
                    }
                } else {
                    if PythonCharacters.unicodeSpaceLength(bytes, at: index) > 0 { break scan }
                    index += 1
                    while index < count && bytes[index] & 0xC0 == 0x80 { index += 1 }
                    lastEnd = index
                }
            }
            if lastEnd > position {
                position = lastEnd
                continue
            }
            // Else a parenthesised stretch.
            guard bytes[position] == UInt8(ascii: "(") else { break }
            var close = position + 1
            while close < count {
                let byte = bytes[close]
                if byte < 0x80 {
                    if Self.kind(byte) == .stop { break }
                } else if PythonCharacters.unicodeSpaceLength(bytes, at: close) > 0 {
                    break
                }
                close += 1
            }
            guard close < count && bytes[close] == UInt8(ascii: ")") else { break }
            position = close + 1
        }
        return position > start ? position : nil
    }
}
