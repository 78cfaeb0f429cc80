import Gale

extension HTTPServer {
    /// How the server treats connections. Tornado: the keyword arguments of `HTTPServer`
    /// and `app.listen`; each field names its Tornado key. Defaults are Tornado's.
    public struct Configuration: Sendable {
        /// Trust `X-Real-Ip`/`X-Forwarded-For` and `X-Scheme`/`X-Forwarded-Proto` from a
        /// load balancer in front. Tornado: `xheaders`. Unlike Tornado, only a connection from
        /// loopback, a Unix socket or a `trustedDownstream` proxy may set them; anyone else's
        /// are ignored, so a client that reaches a backend directly cannot choose its address.
        public var xheaders: Bool
        /// The proxies in front: addresses (`10.0.0.5`) or networks (`10.0.0.0/8`). They may
        /// set the headers above, and their hops are skipped when reading `X-Forwarded-For`
        /// from the right. Tornado: `trusted_downstream` (addresses only; a proxy on another
        /// machine need not be listed there, and any client could set the headers).
        public var trustedDownstream: Set<String>
        /// The largest request header block, in bytes; larger gets 431.
        /// Tornado: `max_header_size` (64 KiB).
        public var maxHeaderSize: Int
        /// The largest request body, in bytes; larger gets 413. Tornado: `max_body_size` (100 MiB).
        public var maxBodySize: Int
        /// The most connections open at once (per process); `nil` for no limit. Past it, a new
        /// connection is accepted and closed at once, with a warning in the log, as nginx does
        /// when `worker_connections` are used up: the client sees a closed connection at once
        /// rather than waiting in the kernel's queue, and the connections already open keep
        /// being served. Tornado has none; the default, 10,000, is above what the usual
        /// `ulimit -n` (1024) allows, so there the file limit comes first (see `Docs/Deploying.md`).
        public var maxConnections: Int?
        /// How long a kept-alive connection may sit between requests; `nil` for no limit.
        /// Tornado: `idle_connection_timeout` (1 hour).
        public var idleConnectionTimeout: Duration?
        /// How long a client may take to send a request body (slower gets 408); `nil` for no
        /// limit. Tornado: `body_timeout` (1 hour).
        public var bodyTimeout: Duration?
        /// How long a client may take to send a request's head (the request line and headers):
        /// counted from the connection's start for its first request, from the first bytes of
        /// a later one; slower is closed without an answer and logged as 408. `nil` for no limit.
        /// nginx: `client_header_timeout` (60 s, the default here); Tornado has none, and only
        /// its idle timeout (1 hour) ends a client that sends its headers a byte at a time.
        public var headerTimeout: Duration?
        /// The most bytes a WebSocket's `send(_:)` (the broadcast write, which does not wait)
        /// may queue for a client that is not reading, beyond the socket's buffers and NIO's
        /// 64 KiB write buffer; past it that client is dropped (logged), and the others keep
        /// receiving. `nil` for no limit. `writeMessage` waits instead and is not limited.
        /// Tornado has none (a slow reader's messages pile up in its `IOStream`).
        public var maxWebSocketQueuedBytes: Int?
        /// Close every connection after one response. Tornado: `no_keep_alive`.
        public var noKeepAlive: Bool
        /// On shutdown, how long in-flight requests get to finish before their connections
        /// are closed.
        public var shutdownGracePeriod: Duration
        /// Inflate gzipped request bodies (`Content-Encoding: gzip`) before the handler sees
        /// them; the inflated size counts against the body limit. Tornado: `decompress_request`.
        /// A streamed body (`streamRequestBody`) arrives as sent.
        public var decompressRequest: Bool
        /// Serve HTTPS (and HTTP/2 to clients that offer it) with these certificate files;
        /// `nil` for plain HTTP. Tornado: `ssl_options`.
        public var sslOptions: TLSOptions?

        /// Creates a configuration; every argument has Tornado's default, but for the limits
        /// Tornado does not have (`maxConnections`, `headerTimeout`, `maxWebSocketQueuedBytes`).
        public init(
            xheaders: Bool = false,
            trustedDownstream: Set<String> = [],
            maxHeaderSize: Int = 64 * 1024,
            maxBodySize: Int = 100 * 1024 * 1024,
            maxConnections: Int? = 10_000,
            idleConnectionTimeout: Duration? = .seconds(3600),
            bodyTimeout: Duration? = .seconds(3600),
            headerTimeout: Duration? = .seconds(60),
            maxWebSocketQueuedBytes: Int? = 4 * 1024 * 1024,
            noKeepAlive: Bool = false,
            shutdownGracePeriod: Duration = .seconds(10),
            decompressRequest: Bool = false,
            sslOptions: TLSOptions? = nil
        ) {
            self.xheaders = xheaders
            self.trustedDownstream = trustedDownstream
            self.maxHeaderSize = maxHeaderSize
            self.maxBodySize = maxBodySize
            self.maxConnections = maxConnections
            self.idleConnectionTimeout = idleConnectionTimeout
            self.bodyTimeout = bodyTimeout
            self.headerTimeout = headerTimeout
            self.maxWebSocketQueuedBytes = maxWebSocketQueuedBytes
            self.noKeepAlive = noKeepAlive
            self.shutdownGracePeriod = shutdownGracePeriod
            self.decompressRequest = decompressRequest
            self.sslOptions = sslOptions
        }
    }
}
