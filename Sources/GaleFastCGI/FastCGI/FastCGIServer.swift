// Only with the package's FastCGI trait (on by default): libfcgi is the one thing in this module
// that needs libfcgi-dev; the CGI gateway and the synchronous-mode check are plain Swift.
#if FastCGI
    import CFastCGI
    import Gale
    import Logging
    import Synchronization

    #if canImport(Glibc)
        import Glibc
    #endif

    /// Serves an application to a FastCGI host (nginx `fastcgi_pass`, lighttpd, Apache,
    /// spawn-fcgi) with libfcgi: a pool of threads, each accepting and serving one request at a
    /// time, synchronously.
    ///
    /// It listens on a unix socket path or a TCP port, or adopts the socket a host hands over on
    /// file descriptor 0 (spawn-fcgi, lighttpd's `bin-path`, Apache mod_fcgid).
    public final class FastCGIServer: Sendable {
        /// Where requests come from.
        public enum Listen: Sendable, Equatable {
            /// A unix socket at this path, with these permissions.
            case unixSocket(path: String, mode: mode_t)
            /// A TCP address, `host:port` or `:port`.
            case tcp(String)
            /// The socket the host passed on file descriptor 0.
            case inherited
        }

        /// Why the server could not start.
        public struct StartError: Error, Sendable, CustomStringConvertible {
            /// What went wrong and what to change.
            public var description: String
        }

        private let gateway: SynchronousGateway
        private let socket: Int32
        /// The unix socket's path, removed at shutdown.
        private let socketPath: String?
        private let threads: Int
        /// Worker threads still accepting or serving.
        private let workers = Mutex(0)

        /// libfcgi's one-time set-up, run once per process whichever thread gets here first
        /// (`FCGX_Init` itself is not thread-safe).
        private static let libraryReady = FCGX_Init() == 0

        /// Opens the socket; `threads` workers will serve it (one per CPU by default).
        public init(
            gateway: SynchronousGateway, listen: Listen,
            threads: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        )
            throws
        {
            guard Self.libraryReady else { throw StartError(description: "FCGX_Init failed") }
            do {
                try gateway.application.checkStartup()
            } catch {
                throw StartError(description: error.description)
            }
            self.gateway = gateway
            self.threads = max(1, threads)
            gateway.application.compileRoutes()
            switch listen {
            case .inherited:
                guard FCGX_IsCGI() == 0 else {
                    throw StartError(
                        description:
                            "no FastCGI socket on file descriptor 0: give --socket PATH or --bind HOST:PORT, or start under spawn-fcgi"
                    )
                }
                socket = 0
                socketPath = nil
            case .unixSocket(let path, let mode):
                unlink(path)
                let descriptor = FCGX_OpenSocket(path, 128)
                guard descriptor >= 0 else { throw StartError(description: "cannot listen on \(path)") }
                chmod(path, mode)
                socket = descriptor
                socketPath = path
            case .tcp(let address):
                let descriptor = FCGX_OpenSocket(address, 128)
                guard descriptor >= 0 else { throw StartError(description: "cannot listen on \(address)") }
                socket = descriptor
                socketPath = nil
            }
        }

        /// Serves until SIGTERM or SIGINT; then lets requests in flight finish (10 s at most).
        public func run() {
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGTERM)
            sigaddset(&blocked, SIGINT)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)  // workers inherit the mask; this thread waits
            start()
            var received: Int32 = 0
            sigwait(&blocked, &received)
            gateway.application.logger.info("FastCGI shutting down")
            FCGX_ShutdownPending()  // process-wide in libfcgi: only a process that is exiting says it
            shutdown()
        }

        /// Starts the worker threads and returns; `shutdown()` stops them.
        public func start() {
            workers.withLock { $0 += threads }
            for _ in 0..<threads { startWorker() }
        }

        /// Stops accepting, waits for requests in flight to finish (`gracePeriod` at most) and
        /// closes the socket. Other FastCGI servers in the process go on serving.
        public func shutdown(gracePeriod: Duration = .seconds(10)) {
            // Wakes every worker blocked in accept(), which then fails, so FCGX_Accept_r returns -1.
            Glibc.shutdown(socket, Int32(SHUT_RDWR))
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: gracePeriod)
            while workers.withLock({ $0 }) > 0 && clock.now < deadline { usleep(2_000) }
            if workers.withLock({ $0 }) == 0 { close(socket) }
            if let socketPath { unlink(socketPath) }
        }

        private func startWorker() {
            let box = Unmanaged.passRetained(self).toOpaque()
            var thread = pthread_t()
            pthread_create(
                &thread, nil,
                { argument in
                    guard let argument else { return nil }
                    Unmanaged<FastCGIServer>.fromOpaque(argument).takeRetainedValue().workerLoop()
                    return nil
                }, box)
            pthread_detach(thread)
        }

        private func workerLoop() {
            defer { workers.withLock { $0 -= 1 } }
            var request = FCGX_Request()
            guard FCGX_InitRequest(&request, socket, 0) == 0 else { return }
            defer { FCGX_Free(&request, 1) }
            while FCGX_Accept_r(&request) >= 0 {
                serve(&request)
                FCGX_Finish_r(&request)
            }
        }

        private func serve(_ request: inout FCGX_Request) {
            var variables: [String: String] = Dictionary(minimumCapacity: 40)  // nginx's fastcgi_params and headers
            var entry = request.envp
            while let pointer = entry?.pointee {
                // Split at the first `=` on the bytes: `String.firstIndex(of:)` walks Characters.
                if let equals = strchr(pointer, Int32(UInt8(ascii: "="))) {
                    let key = UnsafeRawBufferPointer(start: pointer, count: pointer.distance(to: equals))
                    variables[String(decoding: key, as: UTF8.self)] = String(cString: equals + 1)
                }
                entry = entry?.advanced(by: 1)
            }
            let input = request.in
            let output = StreamOutput(stream: request.out)
            gateway.handle(
                variables: variables,
                readBody: { count in
                    var bytes = [UInt8](repeating: 0, count: count)
                    var filled = 0
                    while filled < count {
                        let got = bytes.withUnsafeMutableBytes { raw -> Int32 in
                            guard let base = raw.baseAddress else { return 0 }
                            return FCGX_GetStr(
                                base.advanced(by: filled).assumingMemoryBound(to: CChar.self), Int32(count - filled),
                                input)
                        }
                        if got <= 0 { break }
                        filled += Int(got)
                    }
                    return Array(bytes[..<filled])
                },
                output: output)
        }
    }

    /// A libfcgi output stream; used by one worker thread for one request at a time.
    struct StreamOutput: GatewayOutput, @unchecked Sendable {
        // @unchecked: the stream pointer is not Sendable, but only the worker thread that
        // accepted the request uses it: `SynchronousGateway.handle` runs the handler to its end
        // on that thread (it refuses handlers that need an event loop or tasks, and ends an
        // unfinished response itself) before `FCGX_Finish_r` frees the stream.
        let stream: UnsafeMutablePointer<FCGX_Stream>?

        func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                _ = FCGX_PutStr(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), stream)
            }
        }

        func flush() {
            _ = FCGX_FFlush(stream)
        }
    }
#endif  // FastCGI
