extension StaticFileHandler {
    /// Which file carries the content: the file itself or a precompressed sibling.
    struct Representation {
        var path: String
        var encoding: String?
        /// Whether a compressed sibling exists, so caches must key on `Accept-Encoding`.
        var varies: Bool
    }

    /// Headers, conditional requests, ranges and the body. Tornado: the body of `get`.
    /// `requested` is the path as asked for, under which the file is kept.
    func serveFile(includeBody: Bool, requested: String) throws {
        let primary = try readyFile(absolutePath, key: requested)
        servedEntry = primary.entry
        var representation = chooseRepresentation(primary.entry)
        var served = primary
        if representation.encoding != nil {
            if let sibling = try? prepareSibling(representation.path)
                ?? loadFile(representation.path, key: representation.path)
            {
                served = sibling
            } else {
                // The sibling has gone: the file itself now, its siblings looked for afresh next time.
                representation = Representation(path: primary.entry.path, encoding: nil, varies: true)
                application.staticFiles.forget(primary.entry, for: requested)
                application.staticFiles.forget(primary.entry, for: primary.entry.path)
            }
        }
        modified = served.entry.status.modified
        let size = served.size
        let contentType = getContentType()
        let etag = served.entry.etag

        // Room for what follows (and gzip's Vary), so the list grows once, not twice.
        responseHeaders.reserveCapacity(responseHeaders.count + 7)
        setCheckedHeader("Accept-Ranges", "bytes")
        setCheckedHeader("Etag", etag)
        setCheckedHeader("Last-Modified", served.entry.lastModified)
        try setHeader("Content-Type", contentType)
        if let encoding = representation.encoding { try setHeader("Content-Encoding", encoding) }
        if representation.varies { try setHeader("Vary", "Accept-Encoding") }
        let cacheTime = getCacheTime(path: path, modified: modified, mimeType: contentType)
        if cacheTime > 0 {
            try setHeader("Expires", HTTPDate.format(secondsSince1970: HTTPDate.nowSeconds() + cacheTime))
            try setHeader("Cache-Control", "max-age=\(cacheTime)")
        }
        try setExtraHeaders(path: path)

        if shouldReturnNotModified(etag: etag) {
            try setStatus(304)
            return
        }
        var rangeHeader = request.headers["Range"]
        if let ifRange = request.headers["If-Range"],
            !EntityTag.ifRange(ifRange, etag: etag, lastModified: modified)
        {
            rangeHeader = nil  // the client's partial copy is stale: send it all
        }
        switch RangeRequest(header: rangeHeader, size: size) {
        case .whole:
            try sendWhole(size > 0 ? 0...(size - 1) : nil, of: served, includeBody: includeBody)
        case .unsatisfiable:
            try setStatus(416)
            try setHeader("Content-Type", "text/plain")
            try setHeader("Content-Range", "bytes */\(size)")
            clearHeader("Content-Encoding")
        case .ranges(let ranges):
            try setStatus(206)
            if ranges.count == 1, let range = ranges.first {
                try setHeader("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(size)")
                try sendWhole(range, of: served, includeBody: includeBody)
            } else {
                try sendMultipart(ranges, of: served, size: size, type: contentType, includeBody: includeBody)
            }
        }
    }

    /// `setHeader` for a value made and checked already: a kept file's `Etag` (checked when it
    /// was read), a date, a number.
    private func setCheckedHeader(_ name: String, _ value: String) {
        responseHeaders.replaceOrAdd(name, value)
    }

    /// Tornado's `should_return_304`: `If-None-Match` alone decides when present; otherwise
    /// `If-Modified-Since` at or after the modification time.
    func shouldReturnNotModified(etag: String) -> Bool {
        if let noneMatch = request.headers["If-None-Match"] {
            return EntityTag.noneMatch(noneMatch, matches: etag)
        }
        if let since = request.headers["If-Modified-Since"], let date = HTTPDate.parse(since) {
            return date >= modified
        }
        return false
    }

    /// The file, or its `.br` / `.gz` sibling (found when the file was read) when the client
    /// accepts that encoding.
    func chooseRepresentation(_ entry: StaticFileCache.Entry) -> Representation {
        guard !entry.siblings.isEmpty else { return Representation(path: entry.path, encoding: nil, varies: false) }
        let accepted = Self.acceptedEncodings(request.headers["Accept-Encoding"] ?? "")
        for sibling in entry.siblings where accepted.contains(sibling.encoding) {
            return Representation(path: sibling.path, encoding: sibling.encoding, varies: true)
        }
        return Representation(path: entry.path, encoding: nil, varies: true)
    }

    /// The codings an `Accept-Encoding` value allows (q > 0); `*` allows both.
    static func acceptedEncodings(_ header: String) -> Set<String> {
        var result: Set<String> = []
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingSpaces().lowercased() }
            guard let coding = parts.first, !coding.isEmpty else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            guard quality > 0 else { continue }
            if coding == "*" {
                result.formUnion(["br", "gzip"])
            } else {
                result.insert(coding == "x-gzip" ? "gzip" : coding)
            }
        }
        return result
    }

    /// One slice (or the whole file; `nil` for an empty one) as the whole body, sent with the
    /// head in one go.
    private func sendWhole(_ range: ClosedRange<Int>?, of file: ReadyFile, includeBody: Bool) throws {
        setCheckedHeader("Content-Length", String(range?.count ?? 0))
        guard includeBody, let range else { return }
        try finish(nil, file: file.body(range))
    }

    /// Several ranges as `multipart/byteranges` (RFC 9110 §14.6): a part header, the slice,
    /// and a closing delimiter, with the total length known in advance.
    private func sendMultipart(
        _ ranges: [ClosedRange<Int>], of file: ReadyFile, size: Int, type: String, includeBody: Bool
    ) throws {
        let boundary = "gale-" + String(UInt64.random(in: 1...UInt64.max), radix: 16)
        let headers = ranges.enumerated().map { index, range in
            (index == 0 ? "" : "\r\n") + "--\(boundary)\r\nContent-Type: \(type)\r\n"
                + "Content-Range: bytes \(range.lowerBound)-\(range.upperBound)/\(size)\r\n\r\n"
        }
        let closing = "\r\n--\(boundary)--\r\n"
        let length = headers.reduce(0) { $0 + $1.utf8.count } + ranges.reduce(0) { $0 + $1.count } + closing.utf8.count
        try setHeader("Content-Type", "multipart/byteranges; boundary=\(boundary)")
        clearHeader("Content-Encoding")
        try setHeader("Content-Length", length)
        guard includeBody else { return }
        for (header, range) in zip(headers, ranges) {
            try write(header)
            try writeFile(file.body(range))
        }
        try write(closing)
    }
}
