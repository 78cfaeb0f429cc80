import Gale

/// Range and conditional request headers of static files: line 1 is `Range`, line 2
/// `If-None-Match`, line 3 `If-Range`, line 4 an HTTP date (`If-Modified-Since`). Every range
/// Gale answers must lie inside the file.
enum RangeFuzz {
    static let etag = "\"5d41402abc4b2a76b9719d911017c592\""

    static func run(_ input: FuzzInput) {
        let lines = input.textLines(4)
        let size = input.bytes.first.map { Int($0) * 37 } ?? 0
        for fileSize in [0, 1, size, Int.max / 2] {
            let request = RangeRequest(header: lines[0], size: fileSize)
            guard case .ranges(let ranges) = request else { continue }
            precondition(ranges.count <= RangeRequest.maximumRanges, "too many ranges: \(lines[0])")
            for range in ranges {
                precondition(range.lowerBound >= 0 && range.upperBound < fileSize, "\(range) outside \(fileSize)")
            }
        }
        _ = EntityTag.noneMatch(lines[1], matches: etag)
        _ = EntityTag.ifRange(lines[2], etag: etag, lastModified: 1_700_000_000)
        if let seconds = HTTPDate.parse(lines[3]) {
            precondition(
                HTTPDate.parse(HTTPDate.format(secondsSince1970: seconds)) == seconds, "date round trip: \(lines[3])")
        }
    }
}
