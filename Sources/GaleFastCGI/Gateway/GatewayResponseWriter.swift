import Gale
import Synchronization

/// Where a gateway's bytes go: stdout for CGI, a FastCGI stream for FastCGI, memory in tests.
public protocol GatewayOutput: Sendable {
    /// Writes `bytes` in full.
    func write(_ bytes: [UInt8])
    /// Sends what is buffered to the host now (a handler's `flush()`).
    func flush()
}

extension GatewayOutput {
    /// Unbuffered outputs have nothing to send.
    public func flush() {}
}

/// The gateways' `ResponseWriter`: a CGI-style answer (`Status:` line, headers, blank line,
/// body). The web server in front turns it into HTTP. A file body is read in 64 KiB blocks
/// and written on, never held whole in memory.
public final class GatewayResponseWriter: ResponseWriter {
    private let output: any GatewayOutput
    private let finished = Mutex(false)

    /// Writes to `output`.
    public init(output: any GatewayOutput) {
        self.output = output
    }

    /// Whether the response has ended.
    public var isFinished: Bool { finished.withLock { $0 } }

    public func write(_ chunk: ResponseChunk) {
        var bytes: [UInt8] = []
        if let head = chunk.head {
            var text = "Status: \(head.status) \(head.reason)\r\n"
            for (name, value) in head.headers { text += "\(name): \(value)\r\n" }
            text += "\r\n"
            bytes += text.utf8
        }
        bytes += chunk.body
        if !bytes.isEmpty { output.write(bytes) }
        if let file = chunk.file {
            // A file that vanished after its head was sent ends short; nothing else can be done.
            try? file.forEachBlock { block in
                output.write(Array(block))
            }
        }
        if chunk.isLast {
            finished.withLock { $0 = true }
        } else {
            output.flush()  // a chunk before the last comes from the handler's flush()
        }
    }
}
