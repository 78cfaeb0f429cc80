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
        return PythonCharacters.withUTF8(text) { bytes in
            let scanner = LinkScanner(bytes: bytes)
            guard let first = scanner.link(from: 0) else { return xhtmlEscape(text) }
            let options = LinkOptions(
                shorten: shorten, requireProtocol: requireProtocol, permittedProtocols: permittedProtocols)
            if shorten {
                var output: [UInt8] = []
                output.reserveCapacity(bytes.count + bytes.count / 2 + 64)
                writeLinks(bytes, scanner, from: first, options, to: &output) { output, _ in
                    output.append(contentsOf: params)
                }
                return String(decoding: output, as: UTF8.self)
            }
            // Straight into the string's storage, sized for the worst case: the escaped text
            // twice (each link is written as its href and its text) and, for each link (one for
            // every `:` or `.`, and at most one for 4 bytes), the markup and the parameters.
            var triggers = 0
            var extra = 0
            for byte in bytes where byte < 64 && (xhtmlSpecialBits | triggerBits) & (1 << UInt64(byte)) != 0 {
                if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") {
                    triggers += 1
                } else {
                    extra += xhtmlExtraLength(byte)
                }
            }
            let links = min(triggers, bytes.count / 4 + 1)
            let bound = 2 * (bytes.count + extra) + links * (linkMarkupLength + params.count)
            return String(writingAtMost: bound) { output in
                writeLinks(bytes, scanner, from: first, options, to: &output) { output, _ in
                    params.withUnsafeBufferPointer { output.append($0) }
                }
            }
        }
    }

    /// ``linkify(_:shorten:extraParams:requireProtocol:permittedProtocols:)`` with the extra
    /// attributes of each anchor chosen by `extraParams`, which gets the link's `href`.
    /// Tornado: `linkify(text, extra_params=callable)`.
    public static func linkify(
        _ text: String, shorten: Bool = false, extraParams: (_ href: String) throws -> String,
        requireProtocol: Bool = false, permittedProtocols: [String]? = nil
    ) rethrows -> String {
        try PythonCharacters.withUTF8(text) { bytes in
            let scanner = LinkScanner(bytes: bytes)
            guard let first = scanner.link(from: 0) else { return xhtmlEscape(text) }
            let options = LinkOptions(
                shorten: shorten, requireProtocol: requireProtocol, permittedProtocols: permittedProtocols)
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 2 + 64)
            try writeLinks(bytes, scanner, from: first, options, to: &output) { output, href in
                output.append(UInt8(ascii: " "))
                output.append(contentsOf: strip(try extraParams(href())))
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// `<a href="`, `http://`, `"`, `>` and `</a>`: what a link adds besides its text twice and
    /// its parameters.
    private static let linkMarkupLength = 22
    /// `:` and `.` as bits of one word: every link has one of them.
    private static let triggerBits: UInt64 = 1 << 0x3A | 1 << 0x2E

    private struct LinkOptions {
        var shorten: Bool
        var requireProtocol: Bool
        var permittedProtocols: [String]?
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

    /// Writes `bytes` escaped, with the links the scanner finds (the first of them given) as
    /// anchors; `appendParams` writes an anchor's extra attributes and may ask for its `href`.
    private static func writeLinks<Output: ByteOutput>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ scanner: LinkScanner, from first: LinkScanner.Link,
        _ options: LinkOptions, to output: inout Output,
        appendParams: (_ output: inout Output, _ href: () -> String) throws -> Void
    ) rethrows {
        var link = first
        var copied = 0
        while true {
            output.appendXHTMLEscaped(UnsafeBufferPointer(rebasing: bytes[copied..<link.start]))
            let url = UnsafeBufferPointer(rebasing: bytes[link.start..<link.end])
            if link.scheme == nil
                ? options.requireProtocol : !permits(link.scheme, of: bytes, options.permittedProtocols)
            {
                output.appendXHTMLEscaped(url)  // Tornado keeps the text as it is
            } else {
                output.append("<a href=\"")
                if link.scheme == nil { output.append("http://") }
                output.appendXHTMLEscaped(url)
                output.append(UInt8(ascii: "\""))
                try appendParams(&output) { href(url, link) }
                if options.shorten {
                    appendShortened(url, link, to: &output)
                } else {
                    output.append(UInt8(ascii: ">"))
                    output.appendXHTMLEscaped(url)
                }
                output.append("</a>")
            }
            copied = link.end
            guard let next = scanner.link(from: link.end) else { break }
            link = next
        }
        output.appendXHTMLEscaped(UnsafeBufferPointer(rebasing: bytes[copied...]))
    }

    /// The anchor's `href`: the escaped link, with `http://` before a `www.` link.
    private static func href(_ url: UnsafeBufferPointer<UInt8>, _ link: LinkScanner.Link) -> String {
        var bytes: [UInt8] = []
        if link.scheme == nil { bytes.append("http://") }
        bytes.appendXHTMLEscaped(url)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the link's scheme is among `permittedProtocols` (default: `http`, `https`).
    private static func permits(
        _ scheme: Range<Int>?, of bytes: UnsafeBufferPointer<UInt8>, _ permittedProtocols: [String]?
    ) -> Bool {
        guard let scheme else { return true }
        let name = UnsafeBufferPointer(rebasing: bytes[scheme])
        guard let permittedProtocols else {
            // http or https, compared byte by byte.
            return (name.count == 4 || (name.count == 5 && name[4] == UInt8(ascii: "s")))
                && name[0] == UInt8(ascii: "h") && name[1] == UInt8(ascii: "t") && name[2] == UInt8(ascii: "t")
                && name[3] == UInt8(ascii: "p")
        }
        return permittedProtocols.contains { $0.utf8.elementsEqual(name) }
    }

    /// Tornado's `shorten=True`: past 30 characters, the escaped link is cut to its scheme,
    /// host and the first word of its path (then to 30 characters if still over 45), `...` is
    /// added, and the full link goes into `title`. Lengths and cuts count code points, as
    /// Python does; the bytes are cut where those code points start.
    private static func appendShortened<Output: ByteOutput>(
        _ url: UnsafeBufferPointer<UInt8>, _ link: LinkScanner.Link, to output: inout Output
    ) {
        let maximum = 30
        var full: [UInt8] = []
        full.appendXHTMLEscaped(url)
        var shown = full
        if codePoints(full[...]) > maximum {
            // `len(proto) + 1 + len(slashes)`: the scheme, the colon and the slashes, as bytes.
            let prefix = link.scheme.map { $0.count + 1 + link.slashes } ?? 0
            let rest = full[prefix...]
            let parts = rest.split(separator: UInt8(ascii: "/"), maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count > 1 {
                // parts[1][:8].split("?")[0].split(".")[0]
                var word = parts[1].prefix(upTo: byteOffset(ofCodePoint: 8, in: parts[1]))
                word = word.prefix { $0 != UInt8(ascii: "?") }
                word = word.prefix { $0 != UInt8(ascii: ".") }
                shown = Array(full[..<prefix]) + parts[0] + [UInt8(ascii: "/")] + word
            }
            if codePoints(shown[...]) * 2 > maximum * 3 {
                shown.removeSubrange(byteOffset(ofCodePoint: maximum, in: shown[...])...)
            }
            if shown != full {
                if let ampersand = shown.lastIndex(of: UInt8(ascii: "&")),
                    codePoints(shown[..<ampersand]) > maximum - 5
                {
                    shown.removeSubrange(ampersand...)
                }
                shown += [UInt8(ascii: "."), UInt8(ascii: "."), UInt8(ascii: ".")]
                if codePoints(shown[...]) >= codePoints(full[...]) {
                    shown = full
                } else {
                    output.append(" title=\"")
                    if link.scheme == nil { output.append("http://") }
                    full.withUnsafeBufferPointer { output.append($0) }
                    output.append(UInt8(ascii: "\""))
                }
            }
        }
        output.append(UInt8(ascii: ">"))
        shown.withUnsafeBufferPointer { output.append($0) }
    }

    /// Python's `len` of UTF-8 bytes.
    private static func codePoints(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    /// Where code point `index` of `bytes` starts (the end when there are fewer).
    private static func byteOffset(ofCodePoint index: Int, in bytes: ArraySlice<UInt8>) -> Int {
        var seen = 0
        for position in bytes.indices where bytes[position] & 0xC0 != 0x80 {
            if seen == index { return position }
            seen += 1
        }
        return bytes.endIndex
    }
}
