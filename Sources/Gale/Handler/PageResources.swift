/// What the UI modules used in a page asked for, gathered by `render` and inserted into the
/// rendered bytes as Tornado's `RequestHandler.render` does.
struct PageResources {
    var javascriptFiles: [String] = []
    var embeddedJavascript: [String] = []
    var cssFiles: [String] = []
    var embeddedCSS: [String] = []
    var htmlHeads: [String] = []
    var htmlBodies: [String] = []

    /// Asks each module in turn, in the order the page first used them, and each module in
    /// Tornado's order; empty answers add nothing.
    init(_ modules: [(name: String, module: UIModule)]) throws {
        for (_, module) in modules {
            if let part = try module.embeddedJavascript(), !part.isEmpty { embeddedJavascript.append(part) }
            if let part = try module.javascriptFiles() { javascriptFiles += part }
            if let part = try module.embeddedCSS(), !part.isEmpty { embeddedCSS.append(part) }
            if let part = try module.cssFiles() { cssFiles += part }
            if let part = try module.htmlHead(), !part.isEmpty { htmlHeads.append(part) }
            if let part = try module.htmlBody(), !part.isEmpty { htmlBodies.append(part) }
        }
    }

    /// Inserts the resources into `html` with the handler's `renderLinkedJS`-style hooks: script
    /// links, then the embedded script, before the last `</body>`; style links, the embedded
    /// style and the heads before the first `</head>`; the bodies before the first `</body>`.
    /// Each piece is followed by a newline, and each is inserted after the one before it, so
    /// the bytes are Tornado's, even where a resource holds a `</body>` itself.
    func insert(into html: inout [UInt8], page: String, handler: RequestHandler) throws {
        if !javascriptFiles.isEmpty {
            try Self.insert(handler.renderLinkedJS(javascriptFiles), before: .body, last: true, in: &html, page: page)
        }
        if !embeddedJavascript.isEmpty {
            try Self.insert(handler.renderEmbedJS(embeddedJavascript), before: .body, last: true, in: &html, page: page)
        }
        if !cssFiles.isEmpty {
            try Self.insert(handler.renderLinkedCSS(cssFiles), before: .head, last: false, in: &html, page: page)
        }
        if !embeddedCSS.isEmpty {
            try Self.insert(handler.renderEmbedCSS(embeddedCSS), before: .head, last: false, in: &html, page: page)
        }
        if !htmlHeads.isEmpty {
            try Self.insert(htmlHeads.joined(), before: .head, last: false, in: &html, page: page)
        }
        if !htmlBodies.isEmpty {
            try Self.insert(htmlBodies.joined(), before: .body, last: false, in: &html, page: page)
        }
    }

    /// The closing tags resources go before; matched exactly, as Tornado's `bytes.index`.
    enum Tag: String {
        case head = "</head>"
        case body = "</body>"
    }

    private static func insert(_ text: String, before tag: Tag, last: Bool, in html: inout [UInt8], page: String)
        throws(ProgrammerError)
    {
        guard let index = position(of: tag, in: html, last: last) else {
            throw ProgrammerError(
                "the UI modules used in \(page) have resources to put before \(tag.rawValue), and it has no \(tag.rawValue)"
            )
        }
        var piece = Array(text.utf8)
        piece.append(UInt8(ascii: "\n"))
        html.insert(contentsOf: piece, at: index)
    }

    /// Where `tag` starts in `html`: its first or last occurrence.
    static func position(of tag: Tag, in html: [UInt8], last: Bool) -> Int? {
        let pattern = Array(tag.rawValue.utf8)
        guard html.count >= pattern.count else { return nil }
        return html.withUnsafeBufferPointer { bytes in
            let starts = 0...(bytes.count - pattern.count)
            let matches = { (start: Int) -> Bool in
                for offset in 1..<pattern.count where bytes[start + offset] != pattern[offset] { return false }
                return true
            }
            if last {
                return starts.reversed().first { bytes[$0] == UInt8(ascii: "<") && matches($0) }
            }
            return starts.first { bytes[$0] == UInt8(ascii: "<") && matches($0) }
        }
    }
}

extension RequestHandler {
    /// Tornado's `render_linked_js`: a `<script src="..." type="text/javascript"></script>`
    /// for each distinct URL, in order.
    func defaultRenderLinkedJS(_ files: [String]) throws -> String {
        try staticURLs(files).map { "<script src=\"\(Escape.xhtmlEscape($0))\" type=\"text/javascript\"></script>" }
            .joined()
    }

    /// Tornado's `render_embed_js`: one `<script>` holding the scripts, a line between each, in
    /// an XHTML-safe `CDATA` section.
    func defaultRenderEmbedJS(_ scripts: [String]) -> String {
        "<script type=\"text/javascript\">\n//<![CDATA[\n" + scripts.joined(separator: "\n") + "\n//]]>\n</script>"
    }

    /// Tornado's `render_embed_css`: one `<style>` holding the styles, a line between each.
    func defaultRenderEmbedCSS(_ styles: [String]) -> String {
        "<style type=\"text/css\">\n" + styles.joined(separator: "\n") + "\n</style>"
    }

    /// Tornado's `render_linked_css`: a `<link href="..." type="text/css" rel="stylesheet"/>`
    /// for each distinct URL, in order.
    func defaultRenderLinkedCSS(_ files: [String]) throws -> String {
        try staticURLs(files).map { "<link href=\"\(Escape.xhtmlEscape($0))\" type=\"text/css\" rel=\"stylesheet\"/>" }
            .joined()
    }

    /// The URLs of `paths`, each once, in first-seen order: relative paths through `staticURL`,
    /// those starting with `/`, `http:` or `https:` as they are (Tornado's `is_absolute`).
    private func staticURLs(_ paths: [String]) throws(ProgrammerError) -> [String] {
        var urls: [String] = []
        var seen: Set<String> = []
        for path in paths {
            let isAbsolute = path.utf8.first == UInt8(ascii: "/") || path.hasPrefix("http:") || path.hasPrefix("https:")
            let url = isAbsolute ? path : try staticURL(path)
            if seen.insert(url).inserted { urls.append(url) }
        }
        return urls
    }
}
