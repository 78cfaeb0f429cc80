#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard input and output as raw file descriptors: the CGI path loads no Foundation.
public enum StandardStreams {
    /// Writes to standard output, in full, retrying on EINTR.
    public struct Output: GatewayOutput {
        public init() {}

        public func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(1, base + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // the server went away; nothing left to tell it
                    }
                    offset += written
                }
            }
        }
    }

    /// Reads up to `count` bytes of standard input (fewer when it ends first).
    public static func read(_ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.read(0, base + filled, count - filled)
            }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            filled += got
        }
        return Array(bytes[..<filled])
    }
}
