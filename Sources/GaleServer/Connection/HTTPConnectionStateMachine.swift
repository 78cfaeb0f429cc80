import NIOCore
import NIOHTTP1

/// The life of one HTTP/1.1 connection as a value: the channel handler reports each event
/// (a request's head, body and end, the response's head and end, a timer, the client leaving,
/// shutdown) and carries out the action returned. Nothing here touches a socket, so every rule
/// is unit-tested on its own (as swift-nio's `HTTPServerPipelineHandler` state and Hummingbird's
/// connection state handler are).
///
/// NIO's pipelining handler in front holds a pipelined request back until the current
/// response has ended, so there is at most one request in flight; its body may still be
/// arriving while the response goes out (a streamed upload answered early).
struct HTTPConnectionStateMachine {
    struct Configuration {
        /// The body limit of a route that sets none. Tornado: `max_body_size`.
        var maxBodySize: Int
        /// How long a connection may wait for its next request. Tornado: `idle_connection_timeout`.
        var idleTimeout: TimeAmount?
        /// How long a request's body may take to arrive. Tornado: `body_timeout`.
        var bodyTimeout: TimeAmount?
        /// Close after every response. Tornado: `no_keep_alive`.
        var noKeepAlive: Bool
        /// How long a request's head may take to arrive: from the connection's start for the
        /// first request, from its first bytes for a later one. nginx: `client_header_timeout`.
        var headerTimeout: TimeAmount? = nil
    }

    /// The request in flight, as far as the connection needs to know it.
    struct Exchange: Equatable {
        var keepAlive: Bool
        var isHTTP10: Bool
        var bodyLimit: Int
        var bodyReceived = 0
        var bodyStarted: NIODeadline
        var requestComplete = false
        var streamsBody: Bool
        var responseStarted = false
    }

    enum State: Equatable {
        /// Waiting for a request; `since` is when the last one ended (or the connection opened).
        case idle(since: NIODeadline)
        /// A request is being read, answered, or both.
        case active(Exchange)
        /// The response's last part is being written. NIO's pipelining handler hands over the
        /// next request from inside that write; that request's handler runs once the write
        /// returns, so a client pipelining thousands of requests cannot nest a stack frame set
        /// per request. Holds the next request once its head has arrived.
        case endingResponse(next: Exchange?, runWhenWritten: Bool)
        /// No more requests: the connection closes once its last response is out.
        case closing
        /// A WebSocket handler took the connection over; HTTP is done with it.
        case upgraded
        case closed
    }

    private(set) var state: State
    private let configuration: Configuration
    private var shuttingDown = false
    /// During a shutdown, when a connection waiting for its next request is closed. Until then
    /// a request that comes is answered, with `Connection: close`: a client that had just
    /// opened the connection, or sends its next request on a kept-alive one at that moment,
    /// would otherwise see it closed under it, and a rolling restart would fail requests.
    private var shutdownDeadline: NIODeadline?
    /// While waiting for a request: since when its head is awaited (the connection's start for
    /// the first request, else its first bytes), and whether any of its bytes came.
    private var headStarted: NIODeadline?
    private var headBytesSeen = false
    static let nextRequestGrace = TimeAmount.seconds(5)

    init(configuration: Configuration, now: NIODeadline) {
        self.configuration = configuration
        self.state = .idle(since: now)
        self.headStarted = now
    }

    // MARK: Reading

    /// What to do with a request whose head just arrived.
    enum HeadAction: Equatable {
        /// Handle it; `sendContinue` answers `Expect: 100-continue` first.
        case accept(sendContinue: Bool)
        /// Answer with an error page and close.
        case refuse(status: Int, reason: String)
        /// The connection is closing: drop it.
        case ignore
    }

    /// A request head: `bodyLimit` is its route's limit (`nil`: the server's).
    mutating func receivedHead(
        version: HTTPVersion, keepAlive: Bool, contentLength: Int?, expect: String?, bodyLimit: Int?,
        streamsBody: Bool, now: NIODeadline
    ) -> HeadAction {
        switch state {
        case .idle, .endingResponse(nil, _): break
        case .active, .endingResponse, .closing, .upgraded, .closed: return .ignore
        }
        let isHTTP10 = version.major == 1 && version.minor == 0
        let exchange = Exchange(
            keepAlive: keepAlive && !configuration.noKeepAlive && !shuttingDown, isHTTP10: isHTTP10,
            bodyLimit: bodyLimit ?? configuration.maxBodySize, bodyStarted: now, streamsBody: streamsBody)
        if let contentLength, contentLength > exchange.bodyLimit {
            return refuse(413, "Content-Length \(contentLength) over the \(exchange.bodyLimit) byte limit")
        }
        var sendContinue = false
        if let expect {
            guard expect.lowercased() == "100-continue" else { return refuse(417, "unsupported Expect: \(expect)") }
            // RFC 9110 §10.1.1: tell the client to go on sending the body; an HTTP/1.0 client
            // cannot have meant it, and gets no interim response.
            sendContinue = !isHTTP10
        }
        headStarted = nil
        headBytesSeen = false
        if case .idle = state {
            state = .active(exchange)
        } else {
            state = .endingResponse(next: exchange, runWhenWritten: false)
        }
        return .accept(sendContinue: sendContinue)
    }

    /// Bytes arrived that did not yet make a request head: while waiting for a request, the
    /// header timeout starts counting (from the first such bytes, not from each).
    mutating func receivedPartialHead(now: NIODeadline) {
        guard case .idle = state, !headBytesSeen else { return }
        headBytesSeen = true
        if headStarted == nil { headStarted = now }
    }

    /// What to do with a piece of request body.
    enum BodyAction: Equatable {
        /// Keep it for the handler: collected, or passed on when the body streams.
        case deliver
        /// Over the route's limit: answer 413 and close.
        case refuse(status: Int, reason: String)
        /// Over the limit after the response began: nothing more can be said; close.
        case close
        case ignore
    }

    mutating func receivedBody(count: Int) -> BodyAction {
        guard case .active(var exchange) = state, !exchange.requestComplete else {
            if case .endingResponse(.some(var next), let run) = state {
                next.bodyReceived += count
                guard next.bodyReceived <= next.bodyLimit else {
                    return refuse(413, "request body larger than \(next.bodyLimit) bytes")
                }
                state = .endingResponse(next: next, runWhenWritten: run)
                return .deliver
            }
            return .ignore
        }
        exchange.bodyReceived += count
        guard exchange.bodyReceived <= exchange.bodyLimit else {
            if exchange.responseStarted {
                state = .closing
                return .close
            }
            return refuse(413, "request body larger than \(exchange.bodyLimit) bytes")
        }
        state = .active(exchange)
        return .deliver
    }

    /// What to do when a request's body is complete.
    enum EndAction: Equatable {
        /// Run the handler now, with the collected body.
        case run
        /// The handler is already running (its body streams): tell it the body ended.
        case endBody
        /// Run the handler when the previous response's last write returns.
        case runWhenWritten
        case ignore
    }

    mutating func receivedEnd() -> EndAction {
        switch state {
        case .active(var exchange) where !exchange.requestComplete:
            exchange.requestComplete = true
            state = .active(exchange)
            return exchange.streamsBody ? .endBody : .run
        case .endingResponse(.some(var next), _) where !next.requestComplete:
            next.requestComplete = true
            state = .endingResponse(next: next, runWhenWritten: !next.streamsBody)
            return next.streamsBody ? .endBody : .runWhenWritten
        default:
            return .ignore
        }
    }

    // MARK: Writing

    /// How the response head must describe the connection.
    struct ResponseHeadDecision: Equatable {
        /// Send `Connection: close` (the connection ends after this response).
        var close: Bool
        /// Send `Connection: keep-alive` (an HTTP/1.0 client that asked for it).
        var keepAlive: Bool
        /// Answer as HTTP/1.0, the request's version.
        var isHTTP10: Bool
    }

    /// The response's head is about to go out; `hasContentLength` says whether the body's end
    /// will be known without closing (HTTP/1.0 has no chunked encoding).
    mutating func writingResponseHead(hasContentLength: @autoclosure () -> Bool) -> ResponseHeadDecision {
        guard case .active(var exchange) = state else {
            return ResponseHeadDecision(close: true, keepAlive: false, isHTTP10: false)
        }
        exchange.responseStarted = true
        if exchange.isHTTP10 && !hasContentLength() { exchange.keepAlive = false }
        if shuttingDown { exchange.keepAlive = false }
        state = .active(exchange)
        return ResponseHeadDecision(
            close: !exchange.keepAlive, keepAlive: exchange.keepAlive && exchange.isHTTP10, isHTTP10: exchange.isHTTP10)
    }

    /// What to do when the handler ends its response.
    enum ResponseEndAction: Equatable {
        /// Write the end, and take the next request (which may arrive during the write).
        case writeEnd
        /// Write the end, then close.
        case writeEndAndClose
        case ignore
    }

    mutating func responseEnded(now: NIODeadline) -> ResponseEndAction {
        guard case .active(let exchange) = state else { return .ignore }
        // A body still arriving cannot be told apart from the next request: close.
        guard exchange.keepAlive && !shuttingDown && exchange.requestComplete else {
            state = .closing
            return .writeEndAndClose
        }
        state = .endingResponse(next: nil, runWhenWritten: false)
        return .writeEnd
    }

    /// What to do once the response's end has been written.
    enum EndWrittenAction: Equatable {
        /// A request arrived during the write and is complete: run it, on the loop's next turn.
        case run
        case none
    }

    mutating func responseEndWritten(now: NIODeadline) -> EndWrittenAction {
        guard case .endingResponse(let next, let run) = state else { return .none }
        guard let next else {
            state = .idle(since: now)
            return .none
        }
        state = .active(next)
        return run ? .run : .none
    }

    /// The response broke after its head (a file that vanished, a short body): only closing is
    /// honest, since ending the message would make it look whole to a proxy.
    mutating func responseBroken() {
        state = .closing
    }

    /// Whether a WebSocket handler may take the connection over now.
    enum UpgradeDecision: Equatable {
        case upgrade
        /// The server is shutting down: no new long-lived connection.
        case shuttingDown
        /// The request is not whole, or its response has begun.
        case tooLate
    }

    /// A WebSocket handler accepts the upgrade: the connection stops being HTTP. Only a
    /// request whose whole head arrived and whose response has not begun can upgrade.
    mutating func upgrading() -> UpgradeDecision {
        guard case .active(let exchange) = state, exchange.requestComplete, !exchange.responseStarted else {
            return .tooLate
        }
        if shuttingDown { return .shuttingDown }
        state = .upgraded
        return .upgrade
    }

    // MARK: Closing

    /// The channel closed (the client left, or the server closed it). Whatever runs for it is
    /// cancelled by the channel handler, which owns the tasks.
    mutating func channelClosed() {
        state = .closed
    }

    /// What to do when the server begins a graceful shutdown.
    enum ShutdownAction: Equatable {
        /// Waiting for a request: wait this long for it (then the timer closes).
        case awaitNextRequest(TimeAmount)
        /// A request is in flight: its response says `Connection: close` and then the
        /// connection closes.
        case closeAfterResponse
    }

    mutating func shutdownRequested(now: NIODeadline) -> ShutdownAction {
        shuttingDown = true
        switch state {
        case .idle:
            shutdownDeadline = now + Self.nextRequestGrace
            return .awaitNextRequest(Self.nextRequestGrace)
        case .active, .endingResponse, .upgraded:
            return .closeAfterResponse
        case .closing, .closed:
            // The close is already on its way, after the last response's bytes: closing now
            // would cut that response off.
            return .closeAfterResponse
        }
    }

    /// What a parse error on the connection leads to.
    enum ParseErrorAction: Equatable {
        /// Nothing answered yet: send the error page, then close.
        case refuse(status: Int)
        /// A response is under way: close.
        case close
        case ignore
    }

    mutating func parseError(status: Int) -> ParseErrorAction {
        switch state {
        case .idle:
            state = .closing
            return .refuse(status: status)
        case .active(let exchange):
            state = .closing
            return exchange.responseStarted || exchange.requestComplete ? .close : .refuse(status: status)
        case .endingResponse:
            // Delivered by NIO's pipelining handler from inside the last response's `.end`
            // write: the error page goes out after that response, then the connection closes.
            // A bare close here would drop the response it has not flushed yet.
            state = .closing
            return .refuse(status: status)
        case .closing, .upgraded, .closed:
            return .ignore
        }
    }

    // MARK: Timers

    /// How often the connection's timer looks at least: the shorter of the two timeouts, so a
    /// body that starts while the timer sleeps is still caught in time; `nil` with no timeouts.
    var checkInterval: TimeAmount? {
        [configuration.idleTimeout, configuration.bodyTimeout, configuration.headerTimeout].compactMap { $0 }.min()
    }

    enum TimerAction: Equatable {
        /// Check again after this long.
        case rearm(TimeAmount)
        /// Idle too long: close quietly.
        case close
        /// A request head took too long: log `reason` and close without an answer, as nginx does
        /// when `client_header_timeout` passes (no request to answer; its log says 408).
        case abandon(reason: String)
        /// The body took too long: answer 408 and close.
        case refuse(status: Int, reason: String)
        /// The connection is going away; no more checks.
        case stop
    }

    /// The timer fired: close what waited too long, or say when to look again.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        if case .idle(let since) = state {
            // The header timeout counts from the connection's start for its first request (as
            // nginx's does) and from a later request's first bytes; once bytes came, the
            // connection is no longer idle and the idle timeout stops counting.
            let headDeadline = headStarted.flatMap { started in configuration.headerTimeout.map { started + $0 } }
            let idleDeadline =
                headBytesSeen && headDeadline != nil ? nil : configuration.idleTimeout.map { since + $0 }
            let deadlines = [idleDeadline, headDeadline, shutdownDeadline].compactMap { $0 }
            guard let deadline = deadlines.min() else { return checkInterval.map { .rearm($0) } ?? .stop }
            if now >= deadline {
                state = .closing
                // A client that never sent a byte (a browser's preconnect) is let go quietly.
                if headBytesSeen, let headDeadline, now >= headDeadline {
                    return .abandon(reason: "request head timed out")
                }
                return .close
            }
            return .rearm(min(deadline - now, checkInterval ?? (deadline - now)))
        }
        guard let interval = checkInterval else { return .stop }
        switch state {
        case .idle:
            return .stop  // handled above
        case .active(let exchange) where !exchange.requestComplete:
            guard let timeout = configuration.bodyTimeout else { return .rearm(interval) }
            if now >= exchange.bodyStarted + timeout {
                if exchange.responseStarted {
                    state = .closing
                    return .close
                }
                return refuse(408, "request body timed out")
            }
            return .rearm(min(exchange.bodyStarted + timeout - now, interval))
        case .active, .endingResponse:
            return .rearm(interval)
        case .closing, .upgraded, .closed:
            return .stop
        }
    }

    private mutating func refuse<Action: Refusing>(_ status: Int, _ reason: String) -> Action {
        state = .closing
        return Action.refusal(status: status, reason: reason)
    }
}

/// The actions that can answer with an error page and close.
private protocol Refusing {
    static func refusal(status: Int, reason: String) -> Self
}

extension HTTPConnectionStateMachine.HeadAction: Refusing {
    static func refusal(status: Int, reason: String) -> Self { .refuse(status: status, reason: reason) }
}

extension HTTPConnectionStateMachine.BodyAction: Refusing {
    static func refusal(status: Int, reason: String) -> Self { .refuse(status: status, reason: reason) }
}

extension HTTPConnectionStateMachine.TimerAction: Refusing {
    static func refusal(status: Int, reason: String) -> Self { .refuse(status: status, reason: reason) }
}
