extension Escape {
    /// `text` HTML-escaped, with its links made into anchors. Tornado: `linkify(text,
    /// shorten=False, extra_params="", require_protocol=False, permitted_protocols=["http",
    /// "https"])`, whose regular expression this follows match for match (see
    /// ``LinkScanner``): `http://`, `https://` and `www.` links; other schemes (`ftp:`,
    /// `javascript:`) stay text unless `permittedProtocols` names them; balanced parentheses
    /// stay in a link and closing punctuation does not.
    ///
    /// - Parameters:
    ///   - shorten: Shows a long link (over 30 characters) cut after its host and the start of
    ///     its path, with `...` and the whole link as the anchor's `title`.
    ///   - extraParams: Attributes written into every anchor, such as `rel="nofollow"`.
    ///   - requireProtocol: Leaves `www.` links without a scheme as text.
    ///   - permittedProtocols: The schemes made into links; `nil` for `http` and `https`.
    public static func linkify(
        _ text: String, shorten: Bool = false, extraParams: String = "", requireProtocol: Bool = false,
        permittedProtocols: [String]? = nil
    ) -> String {
        // Tornado: `" " + extra_params.strip()` when extra_params is not empty.
        let params = extraParams.isEmpty ? [] : [UInt8(ascii: " ")] + strip(extraParams)
        return linkify(
            text, shorten: shorten, requireProtocol: requireProtocol, permittedProtocols: permittedProtocols
        ) { output, _ in output.append(contentsOf: params) }
    }

    /// ``linkify(_:shorten:extraParams:requireProtocol:permittedProtocols:)`` with the extra
    /// attributes of each anchor chosen by `extraParams`, which gets the link's `href`.
    /// Tornado: `linkify(text, extra_params=callable)`.
    public static func linkify(
        _ text: String, shorten: Bool = false, extraParams: (_ href: String) throws -> String,
        requireProtocol: Bool = false, permittedProtocols: [String]? = nil
    ) rethrows -> String {
        try linkify(text, shorten: shorten, requireProtocol: requireProtocol, permittedProtocols: permittedProtocols) {
            output, href in
            let params = try extraParams(String(decoding: output[href], as: UTF8.self))
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: strip(params))
        }
    }

    /// Python's `str.strip()`: Unicode whitespace off both ends.
    private static func strip(_ text: String) -> [UInt8] {
        PythonCharacters.withUTF8(text) { bytes in
            var start = 0
            var end = bytes.count
            while start < end {
                if PythonCharacters.isASCIISpace(bytes[start]) {
                    start += 1
                } else {
                    let length = PythonCharacters.unicodeSpaceLength(bytes, at: start)
                    guard length > 0 else { break }
                    start += length
                }
            }
            while end > start {
                if PythonCharacters.isASCIISpace(bytes[end - 1]) {
                    end -= 1
                } else {
                    let length = PythonCharacters.unicodeSpaceLength(bytes, endingAt: end)
                    guard length > 0 else { break }
                    end -= length
                }
            }
            return Array(bytes[start..<end])
        }
    }

    /// The walk shared by both forms; `appendParams` writes an anchor's extra attributes given
    /// the output so far and where the anchor's `href` sits in it.
    private static func linkify(
        _ text: String, shorten: Bool, requireProtocol: Bool, permittedProtocols: [String]?,
        appendParams: (_ output: inout [UInt8], _ href: Range<Int>) throws -> Void
    ) rethrows -> String {
        try PythonCharacters.withUTF8(text) { bytes in
            let scanner = LinkScanner(bytes: bytes)
            guard var link = scanner.link(from: 0) else { return xhtmlEscape(text) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 2 + 64)
            var copied = 0
            while true {
                appendXHTMLEscaped(UnsafeBufferPointer(rebasing: bytes[copied..<link.start]), to: &output)
                let url = UnsafeBufferPointer(rebasing: bytes[link.start..<link.end])
                if link.scheme == nil ? requireProtocol : !permits(link.scheme, of: bytes, permittedProtocols) {
                    appendXHTMLEscaped(url, to: &output)  // Tornado keeps the text as it is
                } else {
                    append("<a href=\"", to: &output)
                    let hrefStart = output.count
                    if link.scheme == nil { append("http://", to: &output) }
                    appendXHTMLEscaped(url, to: &output)
                    let href = hrefStart..<output.count
                    append("\"", to: &output)
                    try appendParams(&output, href)
                    if shorten {
                        appendShortened(url, link, href: href, to: &output)
                    } else {
                        output.append(UInt8(ascii: ">"))
                        appendXHTMLEscaped(url, to: &output)
                    }
                    append("</a>", to: &output)
                }
                copied = link.end
                guard let next = scanner.link(from: link.end) else { break }
                link = next
            }
            appendXHTMLEscaped(UnsafeBufferPointer(rebasing: bytes[copied...]), to: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Whether the link's scheme is among `permittedProtocols` (default: `http`, `https`).
    private static func permits(
        _ scheme: Range<Int>?, of bytes: UnsafeBufferPointer<UInt8>, _ permittedProtocols: [String]?
    ) -> Bool {
        guard let scheme else { return true }
        let name = UnsafeBufferPointer(rebasing: bytes[scheme])
        guard let permittedProtocols else {
            return name.elementsEqual("http".utf8) || name.elementsEqual("https".utf8)
        }
        return permittedProtocols.contains { $0.utf8.elementsEqual(name) }
    }

    @inline(__always)
    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// Tornado's `shorten=True`: past 30 characters, the escaped link is cut to its scheme,
    /// host and the first word of its path (then to 30 characters if still over 45), `...` is
    /// added, and the full link goes into `title`. Counted in code points, as Python does.
    private static func appendShortened(
        _ url: UnsafeBufferPointer<UInt8>, _ link: LinkScanner.Link, href: Range<Int>, to output: inout [UInt8]
    ) {
        let maximum = 30
        var escaped: [UInt8] = []
        appendXHTMLEscaped(url, to: &escaped)
        let full = Array(String(decoding: escaped, as: UTF8.self).unicodeScalars)
        var shown = full
        if full.count > maximum {
            // `len(proto) + 1 + len(slashes)`: the scheme's code points, the colon, the slashes.
            let prefixLength =
                link.scheme.map { scheme in
                    PythonCharacters.codePointCount(UnsafeBufferPointer(rebasing: url[..<scheme.count])) + 1
                        + link.slashes
                } ?? 0
            let parts = full[prefixLength...].split(separator: "/", omittingEmptySubsequences: false)
            if parts.count > 1 {
                let start = parts[1].prefix(8)
                let word = start.split(separator: "?", omittingEmptySubsequences: false)[0]
                    .split(separator: ".", omittingEmptySubsequences: false)[0]
                shown = Array(full[..<prefixLength]) + Array(parts[0]) + ["/"] + Array(word)
            }
            if shown.count * 2 > maximum * 3 { shown = Array(shown.prefix(maximum)) }
            if shown != full {
                if let ampersand = shown.lastIndex(of: "&"), ampersand > maximum - 5 {
                    shown = Array(shown[..<ampersand])
                }
                shown += [".", ".", "."]
                if shown.count >= full.count {
                    shown = full
                } else {
                    let hrefBytes = Array(output[href])
                    append(" title=\"", to: &output)
                    output.append(contentsOf: hrefBytes)
                    output.append(UInt8(ascii: "\""))
                }
            }
        }
        output.append(UInt8(ascii: ">"))
        var text = String.UnicodeScalarView()
        text.append(contentsOf: shown)
        output.append(contentsOf: String(text).utf8)
    }
}
