/// A `Range: bytes=...` request header resolved against a file's size (RFC 9110 §14.1.2).
///
/// Tornado: `httputil._parse_request_range`, which knows one range only; Gale also answers
/// several ranges, as `multipart/byteranges`.
public enum RangeRequest: Equatable, Sendable {
    /// No usable Range header: send the whole file (a malformed header is ignored, as RFC 9110
    /// allows, never an error).
    case whole
    /// Not one of the ranges lies inside the file: 416 with `Content-Range: bytes */SIZE`.
    case unsatisfiable
    /// The satisfiable ranges, as inclusive byte offsets, in the order asked.
    case ranges([ClosedRange<Int>])

    /// More ranges than this, or overlapping ones, get the whole file: a cheap defence
    /// against requests that ask for many tiny slices.
    public static let maximumRanges = 16

    /// Resolves `header` against a file of `size` bytes.
    public init(header: String?, size: Int) {
        guard let header else {
            self = .whole
            return
        }
        let trimmed = header.drop { $0 == " " }
        guard trimmed.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        var satisfiable: [ClosedRange<Int>] = []
        let specs = trimmed.dropFirst("bytes=".count).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count <= Self.maximumRanges else {
            self = .whole
            return
        }
        for rawSpec in specs {
            let spec = rawSpec.trimmingSpaces()
            guard let dash = spec.firstIndex(of: "-") else {
                self = .whole
                return
            }
            let firstText = spec[..<dash]
            let lastText = spec[spec.index(after: dash)...]
            if firstText.isEmpty {
                // `-N`: the last N bytes.
                guard let suffix = Self.number(lastText) else {
                    self = .whole
                    return
                }
                if suffix > 0 && size > 0 { satisfiable.append(max(0, size - suffix)...(size - 1)) }
                continue
            }
            guard let first = Self.number(firstText) else {
                self = .whole
                return
            }
            var last = size - 1
            if !lastText.isEmpty {
                guard let parsed = Self.number(lastText), parsed >= first else {
                    self = .whole
                    return
                }
                last = min(parsed, size - 1)
            }
            if first < size { satisfiable.append(first...last) }
        }
        if satisfiable.isEmpty {
            self = .unsatisfiable
            return
        }
        let sorted = satisfiable.sorted { $0.lowerBound < $1.lowerBound }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.lowerBound <= previous.upperBound {
            self = .whole
            return
        }
        self = .ranges(satisfiable)
    }

    /// A non-negative decimal number with digits only (no sign, no spaces), that fits an Int.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}
