// Only with Gale's FastCGI trait: `FastCGIServer` is libfcgi.
#if FastCGI
    import Gale
    import GaleFastCGI

    #if canImport(Glibc)
        import Glibc
    #endif

    /// A `FastCGIServer` for one test: a unix socket in a fresh temporary directory, two worker
    /// threads, stopped and cleaned up by `stop()`.
    struct FastCGITestServer {
        let socketPath: String
        private let directory: String
        private let server: FastCGIServer

        init(application: Application) throws {
            var template = Array("/tmp/gale-fcgi-XXXXXX".utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap(mkdtemp) })
            else {
                throw FastCGIClient.Failure(description: "mkdtemp failed: errno \(errno)")
            }
            directory = String(cString: made)
            socketPath = directory + "/app.sock"
            do {
                server = try FastCGIServer(
                    gateway: SynchronousGateway(application: application, serveRest: true, runtimeName: "FastCGI"),
                    listen: .unixSocket(path: socketPath, mode: 0o600), threads: 2)
            } catch {
                rmdir(directory)
                throw error
            }
            server.start()
        }

        func stop() {
            server.shutdown()
            rmdir(directory)
        }
    }
#endif  // FastCGI
