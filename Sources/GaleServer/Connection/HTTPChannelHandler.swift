import Gale
import Logging
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves one HTTP/1.1 connection: collects each request, hands it to the application, and
/// writes the answer back in order.
///
/// Sits behind NIO's `HTTPServerPipelineHandler`, which holds back pipelined requests until
/// the current response has ended, so this handler sees one request at a time. Everything
/// here runs on the connection's event loop; a response from an async handler arrives through
/// `ChannelResponseWriter`, which hops back onto the loop.
final class HTTPChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Where the connection is in its request/response cycle.
    private enum State {
        /// Between requests.
        case idle
        /// Reading a request's body.
        case receivingBody(HTTPRequestHead, ByteBuffer?, since: NIODeadline)
        /// The request went to the application; its response has not ended yet.
        case responding(Exchange)
        /// The connection is closing (a refused request, `Connection: close`, shutdown, a
        /// broken response): anything more the client sends is ignored, never dispatched.
        case closing
    }

    /// What the response to the current request needs to know about it.
    private struct Exchange {
        var version: HTTPVersion
        var keepAlive: Bool
    }

    private let application: Application
    private let configuration: HTTPServer.Configuration
    private let registry: ConnectionRegistry
    private var state = State.idle
    private var context: ChannelHandlerContext?
    private var remoteIP = ""
    private var lastActivity = NIODeadline.now()
    private var timer: Scheduled<Void>?
    private var shuttingDown = false
    /// Set while `.end` is written: NIO's pipelining handler may deliver the next request
    /// from inside that write, and dispatching it there would nest one stack frame set per
    /// pipelined request (a few thousand of them overflow the stack).
    private var writingEnd = false
    /// Whether `TCP_CORK` is on for the response being written.
    private var corked = false
    private var dateCache = (second: 0, value: "")

    init(application: Application, configuration: HTTPServer.Configuration, registry: ConnectionRegistry) {
        self.application = application
        self.configuration = configuration
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        remoteIP = context.channel.remoteAddress?.ipAddress ?? ""
        guard registry.add(context.channel) else {
            // Accepted just as the server began shutting down.
            shuttingDown = true
            state = .closing
            context.close(promise: nil)
            return
        }
        if let interval = checkInterval { scheduleTimer(context: context, after: interval) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        registry.remove(context.channel)
        self.context = nil
        context.fireChannelInactive()
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiveHead(head, context: context)
        case .body(var chunk):
            guard case .receivingBody(let head, var body, let since) = state else { return }
            state = .idle  // drop the reference so `body` stays uniquely owned while it grows
            let size = (body?.readableBytes ?? 0) + chunk.readableBytes
            if size > configuration.maxBodySize {
                refuse(413, context: context, reason: "request body larger than \(configuration.maxBodySize) bytes")
                return
            }
            if var received = body.take() {
                received.writeBuffer(&chunk)
                body = received
            } else {
                body = chunk
            }
            state = .receivingBody(head, body, since: since)
        case .end:
            guard case .receivingBody(let head, let body, _) = state else { return }
            if writingEnd {
                let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
                context.eventLoop.execute { handler.value.dispatchQueued(head, body: body) }
            } else {
                dispatch(head, body: body, context: context)
            }
        }
    }

    /// Dispatches a request that arrived while the previous response's end was being written.
    private func dispatchQueued(_ head: HTTPRequestHead, body: ByteBuffer?) {
        guard let context, case .receivingBody = state else { return }
        dispatch(head, body: body, context: context)
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        lastActivity = .now()
        if let length = head.headers.first(name: "content-length"), let size = Int(length),
            size > configuration.maxBodySize
        {
            refuse(
                413, context: context, reason: "Content-Length \(size) over the \(configuration.maxBodySize) byte limit"
            )
            return
        }
        if let expect = head.headers.first(name: "expect") {
            guard expect.lowercased() == "100-continue" else {
                refuse(417, context: context, reason: "unsupported Expect: \(expect)")
                return
            }
            // RFC 9110 §10.1.1: tell the client to go on sending the body; an HTTP/1.0 client
            // cannot have meant it, and gets no interim response.
            if head.version.major > 1 || head.version.minor >= 1 {
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        }
        state = .receivingBody(head, nil, since: lastActivity)
    }

    private func dispatch(_ head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) {
        var headers = Gale.HTTPHeaders()
        headers.reserveCapacity(head.headers.count)
        for field in head.headers { headers.add(field.name, field.value) }
        var request = ServerRequest(
            method: head.method.rawValue,
            uri: head.uri,
            version: head.version == .http1_1 ? "HTTP/1.1" : "HTTP/\(head.version.major).\(head.version.minor)",
            headers: headers,
            body: body.map { Array($0.readableBytesView) } ?? [],
            remoteIP: remoteIP,
            startTime: .now
        )
        if configuration.xheaders {
            XHeaders.apply(to: &request, trustedDownstream: configuration.trustedDownstream)
        }
        let keepAlive = !configuration.noKeepAlive && !shuttingDown && head.isKeepAlive
        state = .responding(Exchange(version: head.version, keepAlive: keepAlive))
        let writer = ChannelResponseWriter(handler: NIOLoopBound(self, eventLoop: context.eventLoop))
        application.dispatch(request, to: writer)
    }

    // MARK: Writing

    /// Sends one part of the current response. Runs on the event loop.
    func write(_ chunk: ResponseChunk) {
        guard let context, case .responding(var exchange) = state else { return }
        if let head = chunk.head {
            if chunk.file != nil && !corked {
                // The head goes out with writev and the file with sendfile: corked, they leave
                // in one packet instead of two (nginx's tcp_nopush); uncorked at the end.
                setCork(true, context: context)
            }
            var headers = NIOHTTP1.HTTPHeaders()
            headers.reserveCapacity(head.headers.count + 2)
            for (name, value) in head.headers { headers.add(name: name, value: value) }
            headers.add(name: "Date", value: currentDate())
            if exchange.version.minor == 0 && !headers.contains(name: "content-length") {
                // HTTP/1.0 has no chunked encoding: the end of the body is the end of the connection.
                exchange.keepAlive = false
            }
            if shuttingDown { exchange.keepAlive = false }
            if !exchange.keepAlive {
                headers.replaceOrAdd(name: "Connection", value: "close")
            } else if exchange.version.minor == 0 {
                headers.replaceOrAdd(name: "Connection", value: "keep-alive")
            }
            state = .responding(exchange)
            var status = HTTPResponseStatus(statusCode: head.status)
            if status.reasonPhrase != head.reason {
                status = .custom(code: UInt(head.status), reasonPhrase: head.reason)
            }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: exchange.version, status: status, headers: headers))),
                promise: nil)
        }
        if !chunk.body.isEmpty {
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: chunk.body)))), promise: nil)
        }
        if chunk.mustClose || (chunk.file.map { !writeFile($0, context: context) } ?? false) {
            // The head has gone out promising what the body will not hold. Ending the message
            // (`.end`, a last chunk) would make it look whole to proxies; only closing is honest.
            state = .closing
            context.flush()
            context.close(promise: nil)
            return
        }
        guard chunk.isLast else {
            context.flush()
            return
        }
        lastActivity = .now()
        defer { if corked { setCork(false, context: context) } }
        if !exchange.keepAlive || shuttingDown {
            state = .closing
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        // Idle before `.end`: writing it lets the pipelining handler hand over the next request.
        state = .idle
        writingEnd = true
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        writingEnd = false
    }

    /// Sets `TCP_CORK`: while on, the kernel holds partial segments back.
    private func setCork(_ on: Bool, context: ChannelHandlerContext) {
        corked = on
        #if os(Linux)
            let option = ChannelOptions.Types.SocketOption(level: .tcp, name: NIOBSDSocket.Option(rawValue: TCP_CORK))
            context.channel.setOption(option, value: on ? 1 : 0).whenFailure { _ in }
        #endif
    }

    /// Sends a file slice with sendfile (NIO's `FileRegion`); the descriptor closes once the
    /// write is done. `false` when the file cannot be opened any more.
    private func writeFile(_ file: FileBody, context: ChannelHandlerContext) -> Bool {
        guard file.length > 0 else { return true }
        let handle: NIOFileHandle
        do {
            handle = try NIOFileHandle(_deprecatedPath: file.path)
        } catch {
            application.logger.error("cannot open \(file.path) for sending: \(error)")
            return false
        }
        let region = FileRegion(fileHandle: handle, readerIndex: file.offset, endIndex: file.offset + file.length)
        context.write(wrapOutboundOut(.body(.fileRegion(region)))).whenComplete { _ in
            try? handle.close()
        }
        return true
    }

    /// Answers with an error before the request reached the application, and closes.
    private func refuse(_ status: Int, context: ChannelHandlerContext, reason: String) {
        application.accessLogger.warning("\(status) \(reason) (\(remoteIP))")
        state = .closing
        sendErrorAndClose(status, context: context)
    }

    private func sendErrorAndClose(_ status: Int, context: ChannelHandlerContext) {
        let phrase = HTTPStatus.reasonPhrase(for: status)
        let page = "<html><title>\(status): \(phrase)</title><body>\(status): \(phrase)</body></html>"
        var headers = NIOHTTP1.HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/html; charset=UTF-8")
        headers.add(name: "Content-Length", value: String(page.utf8.count))
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Date", value: currentDate())
        let head = HTTPResponseHead(
            version: .http1_1, status: .custom(code: UInt(status), reasonPhrase: phrase), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: page)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func currentDate() -> String {
        let now = time(nil)
        if now != dateCache.second {
            dateCache = (now, HTTPDate.format(secondsSince1970: now))
        }
        return dateCache.value
    }

    // MARK: Errors, timeouts and shutdown

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parseError = error as? HTTPParserError {
            let status = parseError == .headerOverflow ? 431 : 400
            application.accessLogger.warning("\(status) malformed request: \(parseError) (\(remoteIP))")
            switch state {
            case .idle, .receivingBody:
                state = .closing
                sendErrorAndClose(status, context: context)
            case .responding:
                context.close(promise: nil)
            case .closing:
                break  // bytes after the last request: the close is already on its way
            }
            return
        }
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdownEvent {
            shuttingDown = true
            if case .idle = state {
                state = .closing
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// How often the connection's timer looks at least: the shorter of the two timeouts, so a
    /// body that starts while the timer sleeps is still caught in time; `nil` with no timeouts.
    private var checkInterval: Duration? {
        [idleTimeout, bodyTimeout].compactMap { $0 }.min()
    }

    private var idleTimeout: Duration? { Self.usable(configuration.idleConnectionTimeout) }
    private var bodyTimeout: Duration? { Self.usable(configuration.bodyTimeout) }

    /// A timeout the timer can use: none for `nil` or non-positive values, at most a year.
    private static func usable(_ timeout: Duration?) -> Duration? {
        guard let timeout, timeout > .zero else { return nil }
        return min(timeout, .seconds(365 * 86_400))
    }

    /// One timer per connection, re-armed lazily: it fires, checks how long the connection has
    /// really been idle (or in its body), and either closes it or sleeps for the remainder.
    private func scheduleTimer(context: ChannelHandlerContext, after delay: Duration) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: TimeAmount(delay)) {
            loopBound.value.timerFired()
        }
    }

    private func timerFired() {
        guard let context, let interval = checkInterval else { return }
        let now = NIODeadline.now()
        switch state {
        case .idle:
            guard let idleTimeout else { return scheduleTimer(context: context, after: interval) }
            let deadline = lastActivity + TimeAmount(idleTimeout)
            if now >= deadline {
                state = .closing
                context.close(promise: nil)
            } else {
                scheduleTimer(context: context, after: min(Duration(deadline - now), interval))
            }
        case .receivingBody(_, _, let since):
            guard let bodyTimeout else { return scheduleTimer(context: context, after: interval) }
            let deadline = since + TimeAmount(bodyTimeout)
            if now >= deadline {
                application.accessLogger.warning("408 request body timed out (\(remoteIP))")
                state = .closing
                sendErrorAndClose(408, context: context)
            } else {
                scheduleTimer(context: context, after: min(Duration(deadline - now), interval))
            }
        case .responding:
            scheduleTimer(context: context, after: interval)
        case .closing:
            break
        }
    }
}

/// Asks a connection to close once its current response (if any) is sent.
struct GracefulShutdownEvent: Sendable {}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension Duration {
    init(_ amount: TimeAmount) {
        self = .nanoseconds(amount.nanoseconds)
    }
}
