import Gale

/// Parses one HTTP/1.x response from raw bytes, for `RawConnection`.
enum ResponseParser {
    enum Outcome {
        case complete(TestResponse, consumed: Int)
        case incomplete
        case malformed(String)
    }

    static func parse(_ bytes: [UInt8], isClosed: Bool, method: String) -> Outcome {
        var start = 0
        while true {
            guard let headEnd = bytes[start...].firstRange(of: Array("\r\n\r\n".utf8)) else { return .incomplete }
            let headText = String(decoding: bytes[start..<headEnd.lowerBound], as: UTF8.self)
            var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
            guard !lines.isEmpty else { return .malformed("empty head") }
            let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
            guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else {
                return .malformed("bad status line")
            }
            var headers = HTTPHeaders()
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { return .malformed("bad header line \(line)") }
                headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
            }
            if (100...199).contains(status) {
                start = headEnd.upperBound  // interim response: skip it
                continue
            }
            let reason = statusLine.count > 2 ? String(statusLine[2]) : ""
            let bodyStart = headEnd.upperBound
            func done(_ body: [UInt8], _ end: Int) -> Outcome {
                .complete(TestResponse(status: status, reason: reason, headers: headers, body: body), consumed: end)
            }
            if method == "HEAD" || status == 204 || status == 304 {
                return done([], bodyStart)
            }
            if headers["Transfer-Encoding"]?.lowercased() == "chunked" {
                return parseChunked(bytes, from: bodyStart, complete: done)
            }
            if let lengthText = headers["Content-Length"] {
                guard let length = Int(lengthText) else { return .malformed("bad Content-Length") }
                guard bytes.count - bodyStart >= length else { return .incomplete }
                return done(Array(bytes[bodyStart..<bodyStart + length]), bodyStart + length)
            }
            return isClosed ? done(Array(bytes[bodyStart...]), bytes.count) : .incomplete
        }
    }

    private static func parseChunked(
        _ bytes: [UInt8], from start: Int, complete: ([UInt8], Int) -> Outcome
    ) -> Outcome {
        var body: [UInt8] = []
        var cursor = start
        while true {
            guard let lineEnd = bytes[cursor...].firstRange(of: [13, 10]) else { return .incomplete }
            let sizeText = String(decoding: bytes[cursor..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else {
                return .malformed("bad chunk size \(sizeText)")
            }
            cursor = lineEnd.upperBound
            if size == 0 {
                guard let trailerEnd = bytes[cursor...].firstRange(of: [13, 10]) else { return .incomplete }
                return complete(body, trailerEnd.upperBound)
            }
            guard bytes.count >= cursor + size + 2 else { return .incomplete }
            body += bytes[cursor..<cursor + size]
            cursor += size + 2
        }
    }
}
