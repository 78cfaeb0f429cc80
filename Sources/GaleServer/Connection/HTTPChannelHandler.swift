import Gale
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves one HTTP/1.1 connection by carrying out what its `HTTPConnectionStateMachine`
/// decides: runs each request's handler, writes the answer, and owns the tasks of async ones.
///
/// Sits behind NIO's `HTTPServerPipelineHandler`, so it sees one request at a time. With HTTP/2
/// each stream has its own, behind NIO's HTTP/2-to-HTTP/1 codec: one request, whose answer ends
/// the stream (the connection-level parts, keep-alive and `Connection: close`, mean nothing
/// there; NIO drops such header fields). Everything
/// here runs on the connection's event loop, and so does every async handler's code (its task
/// prefers `EventLoopTaskExecutor`). A plain handler runs inline as its request ends, with no
/// task. An async handler runs in a task this connection keeps: when the client leaves or the
/// server's shutdown grace period closes the connection, the task is cancelled and the handler
/// hears `onConnectionClose()`.
final class HTTPChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// A request between its head and the start of its handler; it becomes a `ServerRequest`
    /// only then, so the common case copies nothing twice.
    private struct PendingRequest {
        var head: HTTPRequestHead
        var route: Route
        var body: ByteBuffer?
    }

    /// An async handler's task, kept until it ends.
    struct RunningTask {
        var task: Task<Void, Never>
        var handler: RequestHandler
    }

    let application: Application
    let registry: ConnectionRegistry
    /// The server's configuration, trusted proxies and compression choice, shared by every
    /// connection: a copy of them in each handler cost 200 bytes a connection.
    let setup: ChannelSetup
    /// The connection's TLS session; `nil` on plain HTTP, whose files go out with sendfile.
    let tls: TLSSession?
    /// The HTTP/1 response encoder, told each request's method; `nil` on an HTTP/2 stream.
    let encoder: HTTP1ResponseEncoder?
    var machine: HTTPConnectionStateMachine
    var context: ChannelHandlerContext?
    var remoteIP = ""
    var dateCache = HTTPDateCache()
    /// Whether `TCP_CORK` is on for the response being written.
    var corked = false
    private var pending: PendingRequest?
    /// The body of the running request, when its handler takes it in chunks.
    private var bodyStream: RequestBodyStream?
    /// The number of the request whose response is being written; writes from others drop.
    var currentExchange = 0
    private var exchangeCounter = 0
    var tasks: [Int: RunningTask] = [:]
    private var executor: EventLoopTaskExecutor?
    var timer: Scheduled<Void>?
    /// Waiting for the channel to be writable again (`await flush()`).
    private var writabilityWaiters: [(Bool) -> Void] = []
    /// A `read()` held back while a streamed body's buffer is full.
    private var readHeld = false
    /// Whether `activate` has run.
    private var active = false
    /// Whether a part of a request arrived since the last `channelReadComplete`.
    var deliveredInRead = false

    init(setup: ChannelSetup, tls: TLSSession?, encoder: HTTP1ResponseEncoder?) {
        self.application = setup.application
        self.registry = setup.registry
        self.setup = setup
        self.tls = tls
        self.encoder = encoder
        self.machine = HTTPConnectionStateMachine(configuration: setup.connectionRules, now: .now())
    }

    /// A timeout the timer can use: none for `nil` or non-positive values, at most a year.
    static func usable(_ timeout: Duration?) -> TimeAmount? {
        guard let timeout, timeout > .zero else { return nil }
        return TimeAmount(min(timeout, .seconds(365 * 86_400)))
    }

    /// Over TLS this handler joins after the handshake, when the channel is already active (and
    /// `channelActive` will not come): it starts at once.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { activate(context: context) }
    }

    /// Removed by a WebSocket upgrade (or the channel's end): the context, which holds this
    /// handler, is let go, so the two do not keep each other alive.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        activate(context: context)
        context.fireChannelActive()
    }

    /// Registers the connection and starts its timer; once, from `handlerAdded` or `channelActive`.
    private func activate(context: ChannelHandlerContext) {
        guard !active else { return }
        active = true
        remoteIP = context.channel.remoteAddress?.ipAddress ?? ""
        let accepted = registry.add(context.channel)
        // On the close future, not in `channelInactive`: a WebSocket upgrade removes this
        // handler, and the connection must still leave the registry when it ends.
        let registry = self.registry
        let channel = context.channel
        channel.closeFuture.whenComplete { _ in registry.remove(channel) }
        if let interval = machine.checkInterval { scheduleTimer(after: interval, context: context) }
        // Accepted as the server began shutting down: its first request is still answered.
        if !accepted { userInboundEventTriggered(context: context, event: GracefulShutdownEvent()) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        machine.channelClosed()
        timer?.cancel()
        timer = nil
        self.context = nil
        bodyStream?.fail()
        bodyStream = nil
        pending = nil
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter(false) }
        // The connection owns its requests' tasks: cancel each still running, then tell its
        // handler, as Tornado calls `on_connection_close`.
        for running in tasks.values {
            running.task.cancel()
            if !running.handler.finished { running.handler.onConnectionClose() }
        }
        context.fireChannelInactive()
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deliveredInRead = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            receiveHead(head, context: context)
        case .body(let chunk):
            switch machine.receivedBody(count: chunk.readableBytes) {
            case .deliver:
                if let bodyStream {
                    bodyStream.append(chunk)
                } else {
                    appendToBody(chunk)
                }
            case .refuse(let status, let reason):
                refuse(status, reason: reason, context: context)
            case .close:
                context.close(promise: nil)
            case .ignore:
                break
            }
        case .end:
            switch machine.receivedEnd() {
            case .run: runPending()
            case .endBody:
                bodyStream?.finish()
                bodyStream = nil
            case .runWhenWritten, .ignore: break
            }
        }
    }

    /// Appends to the collected body, keeping the buffer uniquely owned while it grows.
    private func appendToBody(_ chunk: ByteBuffer) {
        guard var request = pending.take() else { return }
        if var body = request.body.take() {
            var chunk = chunk
            body.writeBuffer(&chunk)
            request.body = body
        } else {
            request.body = chunk
        }
        pending = request
    }

    private func receiveHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        // Whatever answers this request (its handler, a refusal) answers a HEAD without a body.
        encoder?.recordRequestMethod(head.method)
        let route = application.route(
            path: ServerRequest.path(ofURI: head.uri), host: head.headers.first(name: "host"),
            hasRealIP: head.headers.contains(name: "x-real-ip"))
        let streamsBody = route.streamsRequestBody
        // A request asking to switch protocols ends NIO's HTTP parsing on this connection for
        // good, whatever the answer (its decoder stops after an upgrade request); only closing
        // after a refusal keeps the next request from hanging unparsed.
        let asksUpgrade = head.headers.contains(name: "upgrade") || head.method == .CONNECT
        let action = machine.receivedHead(
            version: head.version, keepAlive: head.isKeepAlive && !asksUpgrade,
            contentLength: head.headers.first(name: "content-length").flatMap { Int($0) },
            expect: head.headers.first(name: "expect"), bodyLimit: route.maxBodySize,
            streamsBody: streamsBody, now: .now())
        switch action {
        case .accept(let sendContinue):
            if sendContinue {
                context.writeAndFlush(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
            if streamsBody {
                startStreamingHandler(makeRequest(head, body: nil), route: route, context: context)
            } else {
                pending = PendingRequest(head: head, route: route)
            }
        case .refuse(let status, let reason):
            refuse(status, reason: reason, context: context)
        case .ignore:
            break
        }
    }

    /// The request as the core sees it.
    private func makeRequest(_ head: HTTPRequestHead, body: ByteBuffer?) -> ServerRequest {
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
        if let tls {
            request.protocol = "https"
            request.clientCertificate = tls.clientCertificate
        }
        if setup.configuration.xheaders {
            XHeaders.apply(to: &request, proxies: setup.proxies)
        }
        return request
    }

    /// Holds the socket's reads back while a streamed body's buffer is full.
    func read(context: ChannelHandlerContext) {
        if bodyStream?.isFull == true {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func resumeReading() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }

    // MARK: Running requests

    /// Starts the next request's handler with its whole body.
    private func runPending() {
        guard let context, let pending = pending.take() else { return }
        var request = makeRequest(pending.head, body: pending.body)
        if setup.configuration.decompressRequest {
            do {
                try RequestDecompression.inflate(
                    &request, limit: pending.route.maxBodySize ?? setup.configuration.maxBodySize)
            } catch {
                let handler = application.makeHandler(
                    pending.route, for: request, writer: nextWriter(for: request, context: context))
                handler.sendError(error.status, error: error)
                return
            }
        }
        let handler = application.makeHandler(
            pending.route, for: request, writer: nextWriter(for: request, context: context))
        if handler is AsyncRequestHandler {
            startTask(handler, context: context)
        } else if handler.runsOnThreadPool() || application.tracesErrors {
            // Its writes hop back to this loop, in order (`ChannelResponseWriter`). With
            // `serveTraceback` on (debug mode), every plain handler runs here: an error page
            // reads the executable's debug information, a fraction of a second that would
            // otherwise hold up every connection of this loop.
            let job = HandedOver(handler)
            let statistics = application.statistics
            statistics.begin()
            Executor.shared.submit { _ in
                job.handler.execute()
                statistics.end()
            }
        } else {
            application.statistics.begin()
            handler.execute()
            application.statistics.end()
        }
    }

    /// Starts a handler whose body streams: it runs from the head on, fed by a body stream.
    private func startStreamingHandler(_ request: ServerRequest, route: Route, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let stream = RequestBodyStream(eventLoop: context.eventLoop) { loopBound.value.resumeReading() }
        bodyStream = stream
        let handler = application.makeHandler(route, for: request, writer: nextWriter(for: request, context: context))
        (handler as? AsyncRequestHandler)?.bodySource = stream
        startTask(handler, context: context)
    }

    /// A writer for the request about to run, which from now on owns the response.
    private func nextWriter(for request: ServerRequest, context: ChannelHandlerContext) -> ChannelResponseWriter {
        exchangeCounter &+= 1
        currentExchange = exchangeCounter
        return ChannelResponseWriter(
            handler: NIOLoopBound(self, eventLoop: context.eventLoop), exchange: currentExchange,
            gzip: setup.compressesResponses ? GzipTransform(acceptEncoding: request.headers["Accept-Encoding"]) : nil)
    }

    /// Runs `handler` in a task this connection owns, on this connection's event loop.
    private func startTask(_ handler: RequestHandler, context: ChannelHandlerContext) {
        let executor = taskExecutor(on: context.eventLoop)
        let id = currentExchange
        let connection = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundHandler = NIOLoopBound(handler, eventLoop: context.eventLoop)
        let statistics = application.statistics
        statistics.begin()
        let task = Task(executorPreference: executor) {
            await boundHandler.value.run()
            statistics.end()
            connection.value.tasks[id] = nil
        }
        // The task's first job runs on this loop after this returns, so it is recorded before
        // it can end and remove itself.
        tasks[id] = RunningTask(task: task, handler: handler)
    }

    /// The executor this connection's tasks prefer: its event loop. Made on first use.
    func taskExecutor(on eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        if let executor { return executor }
        let executor = EventLoopTaskExecutor(eventLoop)
        self.executor = executor
        return executor
    }

    // MARK: Writing, from the response side

    /// Called by `write(_:exchange:)` once the last part of a response is out: the next
    /// request, if one arrived whole during that write, runs on the loop's next turn. Not at
    /// once: this call is still inside the previous handler's `finish()`, and a client
    /// pipelining thousands of requests would nest a stack frame set per request.
    func responseEndWritten() {
        guard machine.responseEndWritten(now: .now()) == .run, let context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute { loopBound.value.runPending() }
    }

    /// Tells `callback` when the channel can take more: at once if it can, `false` if it closed.
    func whenWritable(_ callback: @escaping (Bool) -> Void) {
        guard let context else { return callback(false) }
        if context.channel.isWritable { return callback(true) }
        writabilityWaiters.append(callback)
    }

    /// Writes `chunk`, then waits as `whenWritable` does; no suspension when the channel can
    /// already take more (the common case).
    func writeAndWaitUntilWritable(_ chunk: ResponseChunk, exchange: Int) async -> Bool {
        write(chunk, exchange: exchange)
        if let context, context.channel.isWritable { return true }
        return await withCheckedContinuation { continuation in
            whenWritable { continuation.resume(returning: $0) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            let waiters = writabilityWaiters
            writabilityWaiters = []
            for waiter in waiters { waiter(true) }
        }
        context.fireChannelWritabilityChanged()
    }
}

/// Asks a connection to close once its current response (if any) is sent.
struct GracefulShutdownEvent: Sendable {}

extension TimeAmount {
    /// `duration` in NIO's unit, clamped to what it can hold (about 292 years either way).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let limit = Int64.max / 1_000_000_000 - 1
        self = .nanoseconds(min(max(seconds, -limit), limit) * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension Duration {
    init(_ amount: TimeAmount) {
        self = .nanoseconds(amount.nanoseconds)
    }
}
