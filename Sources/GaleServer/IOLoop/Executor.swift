import Gale
import NIOPosix

/// The threads blocking work runs on: `IOLoop.runInExecutor`, and plain handlers that ask for
/// it (`RequestHandler.runsOnThreadPool()`, a static file's first request). Tornado: the
/// IOLoop's default executor, with as many threads: min(32, CPUs + 4).
///
/// Apart from NIO's shared pool (one thread a core), which NIO and the HTTP client use for
/// their own blocking calls: a handler that blocks for seconds must not hold those up.
enum Executor {
    static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: min(32, ServerProcess.cpuCount + 4))
        pool.start()
        return pool
    }()
}
