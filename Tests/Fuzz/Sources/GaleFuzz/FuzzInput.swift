/// The bytes of one fuzz input, with the ways the targets cut them into fields.
struct FuzzInput {
    /// All of the input.
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The input as text; invalid UTF-8 becomes U+FFFD, as a header decoded by a transport does.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The input cut at each `\n` into `count` pieces; the last piece keeps any further newlines,
    /// missing pieces are empty.
    func lines(_ count: Int) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var rest = bytes[...]
        while pieces.count < count - 1, let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            pieces.append(Array(rest[..<newline]))
            rest = rest[(newline + 1)...]
        }
        pieces.append(Array(rest))
        while pieces.count < count { pieces.append([]) }
        return pieces
    }

    /// `lines(count)` as text.
    func textLines(_ count: Int) -> [String] {
        lines(count).map { String(decoding: $0, as: UTF8.self) }
    }
}
