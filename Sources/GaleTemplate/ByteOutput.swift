/// Where the template helpers write UTF-8: a growing `[UInt8]` (a page being rendered, or a
/// result of unknown size), or ``FixedUTF8Output``, a string's own storage of a size worked out
/// beforehand, written through a pointer.
protocol ByteOutput {
    var count: Int { get }
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Appends `bytes` with `& < > " '` replaced as `xhtml_escape` replaces them.
    mutating func appendXHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension ByteOutput {
    @inline(__always)
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }
}

extension Array: ByteOutput where Element == UInt8 {
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }

    /// Grows the array once by the escaped length, then writes into it through a pointer: one
    /// bounds check for the whole string instead of one append for each run and entity.
    mutating func appendXHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = Escape.firstXHTMLSpecial(bytes) else {
            append(contentsOf: bytes)
            return
        }
        let length = bytes.count + Escape.xhtmlExtraLength(UnsafeBufferPointer(rebasing: bytes[first...]))
        let start = count
        append(contentsOf: repeatElement(0, count: length))
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var output = FixedUTF8Output(base + start, capacity: length)
            output.append(UnsafeBufferPointer(rebasing: bytes[..<first]))
            output.appendXHTMLEscaped(UnsafeBufferPointer(rebasing: bytes[first...]))
        }
    }
}

/// Bytes written through a pointer into storage that holds `capacity` of them; the caller
/// works the capacity out first (an exact size or a bound). Debug builds check every write
/// against it.
struct FixedUTF8Output: ByteOutput {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        assert(count < capacity, "FixedUTF8Output overflow")
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        assert(count + bytes.count <= capacity, "FixedUTF8Output overflow")
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func appendXHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        assert(count + bytes.count + Escape.xhtmlExtraLength(bytes) <= capacity, "FixedUTF8Output overflow")
        var output = base + count
        for byte in bytes {
            guard Escape.isXHTMLSpecial(byte) else {
                output.pointee = byte
                output += 1
                continue
            }
            output[0] = UInt8(ascii: "&")
            switch byte {
            case UInt8(ascii: "&"):
                (output[1], output[2], output[3], output[4]) = (0x61, 0x6D, 0x70, 0x3B)  // amp;
                output += 5
            case UInt8(ascii: "<"):
                (output[1], output[2], output[3]) = (0x6C, 0x74, 0x3B)  // lt;
                output += 4
            case UInt8(ascii: ">"):
                (output[1], output[2], output[3]) = (0x67, 0x74, 0x3B)  // gt;
                output += 4
            case UInt8(ascii: "\""):
                (output[1], output[2], output[3], output[4], output[5]) = (0x71, 0x75, 0x6F, 0x74, 0x3B)  // quot;
                output += 6
            default:
                (output[1], output[2], output[3], output[4], output[5]) = (0x23, 0x78, 0x32, 0x37, 0x3B)  // #x27;
                output += 6
            }
        }
        count = output - base
    }
}

/// Bytes written through a pointer into storage of `capacity` bytes, for a result of unknown
/// size that is usually short: a write that does not fit sets `overflowed` (and is dropped), and
/// the caller starts again with a growing array.
struct BoundedUTF8Output: ByteOutput {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < capacity else {
            overflowed = true
            return
        }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        guard count + bytes.count <= capacity else {
            overflowed = true
            return
        }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func appendXHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard count + bytes.count + Escape.xhtmlExtraLength(bytes) <= capacity else {
            overflowed = true
            return
        }
        var output = FixedUTF8Output(base + count, capacity: capacity - count)
        output.appendXHTMLEscaped(bytes)
        count += output.count
    }
}

extension String {
    /// The string of the UTF-8 bytes at `base`.
    init(copying base: UnsafePointer<UInt8>, count: Int) {
        self = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// A string of at most `capacity` UTF-8 bytes, written by `body` (which must stay within
    /// it). String checks the bytes are UTF-8 once, as every string made from bytes is checked.
    init(writingAtMost capacity: Int, _ body: (inout FixedUTF8Output) throws -> Void) rethrows {
        guard capacity > 0 else {
            self = ""
            return
        }
        self = try String(unsafeUninitializedCapacity: capacity) { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var output = FixedUTF8Output(base, capacity: capacity)
            try body(&output)
            return output.count
        }
    }
}
