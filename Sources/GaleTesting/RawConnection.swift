import Gale
import NIOCore
import NIOPosix
import Synchronization

/// A plain TCP connection for tests that need to send exact bytes: malformed requests,
/// pipelining, slow bodies, early disconnects. Reads are bounded by a timeout (times
/// `TestTimeouts.scale`).
public final class RawConnection: Sendable {
    private let channel: any Channel
    private let inbox: Inbox

    /// What has arrived and not been consumed yet, and whether the peer closed.
    final class Inbox: Sendable {
        struct State {
            var bytes: [UInt8] = []
            var closed = false
            /// Counts changes, so a waiter can tell whether it missed one.
            var version = 0
            var waiter: CheckedContinuation<Void, Never>?
        }

        let state = Mutex(State())

        func update(_ change: (inout State) -> Void) {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                change(&state)
                state.version += 1
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Feeds received bytes into the inbox.
    private final class Receiver: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let inbox: Inbox
        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            inbox.update { $0.bytes += buffer.readableBytesView }
        }

        func channelInactive(context: ChannelHandlerContext) {
            inbox.update { $0.closed = true }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    /// The peer did not answer in time, or closed before a whole response arrived.
    public struct ReadError: Error, CustomStringConvertible {
        /// What happened.
        public var description: String
    }

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects to `host:port`.
    public static func connect(host: String, port: Int) async throws -> RawConnection {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: false)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Receiver(inbox: inbox))
                }
            }
            .connect(host: host, port: port).get()
        return RawConnection(channel: channel, inbox: inbox)
    }

    /// Sends `bytes` as they are.
    public func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
    }

    /// Sends `text` as UTF-8 bytes.
    public func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    /// Closes the connection.
    public func close() {
        channel.close(promise: nil)
    }

    /// Whether the server has closed the connection (waits up to `timeout` for it).
    public func waitForClose(timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout.scaledForTests
        while true {
            let (closed, seen) = inbox.state.withLock { ($0.closed, $0.version) }
            if closed { return true }
            if ContinuousClock.now >= deadline { return false }
            await waitForChange(after: seen, until: deadline)
        }
    }

    /// Everything received until the server closes the connection.
    public func readUntilClose(timeout: Duration = .seconds(5)) async throws -> [UInt8] {
        guard await waitForClose(timeout: timeout) else {
            throw ReadError(description: "connection still open after \(timeout)")
        }
        return inbox.state.withLock { state in
            defer { state.bytes = [] }
            return state.bytes
        }
    }

    /// Reads one whole response (skipping `100 Continue`) to a request of `method`.
    public func readResponse(method: String = "GET", timeout: Duration = .seconds(5)) async throws -> TestResponse {
        let deadline = ContinuousClock.now + timeout.scaledForTests
        while true {
            let seen = version
            let outcome = inbox.state.withLock { state -> Result<TestResponse, ReadError>? in
                switch ResponseParser.parse(state.bytes, isClosed: state.closed, method: method) {
                case .complete(let response, let consumed):
                    state.bytes.removeFirst(consumed)
                    return .success(response)
                case .incomplete:
                    return state.closed
                        ? .failure(
                            ReadError(description: "connection closed after \(state.bytes.count) bytes of a response"))
                        : nil
                case .malformed(let reason):
                    return .failure(ReadError(description: "malformed response: \(reason)"))
                }
            }
            if let outcome { return try outcome.get() }
            if ContinuousClock.now >= deadline {
                throw ReadError(description: "no whole response within \(timeout)")
            }
            await waitForChange(after: seen, until: deadline)
        }
    }

    /// Reads the interim `100 Continue` response, if that is what arrives next.
    public func readInterimResponse(timeout: Duration = .seconds(5)) async throws -> Int {
        try await read(timeout: timeout, what: "interim response") { bytes in
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            let line = String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
            bytes.removeFirst(end.upperBound)
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
    }

    /// Waits until `take` finds what it wants at the start of the bytes received so far (it
    /// removes what it used and returns a value), or throws after `timeout` or on close.
    public func read<Value>(
        timeout: Duration = .seconds(5), what: String = "data", _ take: (inout [UInt8]) -> Value?
    ) async throws -> Value {
        let deadline = ContinuousClock.now + timeout.scaledForTests
        while true {
            let seen = version
            let (value, closed) = inbox.state.withLock { state in (take(&state.bytes), state.closed) }
            if let value { return value }
            if closed { throw ReadError(description: "connection closed before the \(what)") }
            if ContinuousClock.now >= deadline { throw ReadError(description: "no \(what) within \(timeout)") }
            await waitForChange(after: seen, until: deadline)
        }
    }

    private var version: Int { inbox.state.withLock { $0.version } }

    /// Sleeps until the inbox changes after `seen`, or until `deadline`.
    private func waitForChange(after seen: Int, until deadline: ContinuousClock.Instant) async {
        let inbox = self.inbox
        let wake = channel.eventLoop.scheduleTask(
            in: TimeAmount.nanoseconds(Int64(max(0, (deadline - .now).nanoseconds)))
        ) {
            inbox.update { _ in }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = inbox.state.withLock { state -> Bool in
                if state.version != seen { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        wake.cancel()
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
