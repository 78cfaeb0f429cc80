extension StaticFileHandler {
    /// Which file carries the content: the file itself or a precompressed sibling.
    struct Representation {
        var path: String
        var encoding: String?
        /// Whether a compressed sibling exists, so caches must key on `Accept-Encoding`.
        var varies: Bool
    }

    /// Headers, conditional requests, ranges and the body. Tornado: the body of `get`.
    func serveFile(includeBody: Bool) throws {
        let representation = chooseRepresentation()
        let known = lastStatus.flatMap { $0.path == representation.path ? $0.status : nil }
        guard let status = known ?? FileSystem.status(representation.path) else { throw HTTPError(404) }
        modified = status.modified
        let size = status.size
        let contentType = getContentType()
        let etag = "\"\(try Self.version(of: representation.path, application: application))\""

        try setHeader("Accept-Ranges", "bytes")
        try setHeader("Etag", etag)
        try setHeader("Last-Modified", HTTPDate.format(secondsSince1970: modified))
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
            let whole = size > 0 ? [0...(size - 1)] : []  // an empty file has no byte range at all
            try sendSlices(whole, of: representation.path, size: size, includeBody: includeBody)
        case .unsatisfiable:
            try setStatus(416)
            try setHeader("Content-Type", "text/plain")
            try setHeader("Content-Range", "bytes */\(size)")
            clearHeader("Content-Encoding")
        case .ranges(let ranges):
            try setStatus(206)
            if ranges.count == 1, let range = ranges.first {
                try setHeader("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(size)")
                try sendSlices([range], of: representation.path, size: size, includeBody: includeBody)
            } else {
                try sendMultipart(
                    ranges, of: representation.path, size: size, type: contentType, includeBody: includeBody)
            }
        }
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

    /// The file, or its `.br` / `.gz` sibling when the client accepts that encoding and the
    /// sibling is a regular file inside the root.
    func chooseRepresentation() -> Representation {
        var accepted: Set<String>?  // parsed only once a sibling exists: most files have none
        var varies = false
        for (encoding, suffix) in [("br", ".br"), ("gzip", ".gz")] {
            let sibling = absolutePath + suffix
            guard let resolved = realPath(sibling, rememberMissing: true), resolved.hasPrefix(root + "/"),
                FileSystem.status(resolved)?.isRegularFile == true
            else { continue }
            varies = true
            if accepted == nil { accepted = Self.acceptedEncodings(request.headers["Accept-Encoding"] ?? "") }
            if accepted?.contains(encoding) == true {
                return Representation(path: resolved, encoding: encoding, varies: true)
            }
        }
        return Representation(path: absolutePath, encoding: nil, varies: varies)
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

    /// One slice (or the whole file) as the body.
    private func sendSlices(_ ranges: [ClosedRange<Int>], of file: String, size: Int, includeBody: Bool) throws {
        let length = ranges.reduce(0) { $0 + $1.count }
        try setHeader("Content-Length", length)
        guard includeBody, length > 0 else { return }
        for range in ranges {
            try writeFile(FileBody(path: file, offset: range.lowerBound, length: range.count))
        }
    }

    /// Several ranges as `multipart/byteranges` (RFC 9110 §14.6): a part header, the slice,
    /// and a closing delimiter, with the total length known in advance.
    private func sendMultipart(
        _ ranges: [ClosedRange<Int>], of file: String, size: Int, type: String, includeBody: Bool
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
            try writeFile(FileBody(path: file, offset: range.lowerBound, length: range.count))
        }
        try write(closing)
    }
}
