import Foundation

/// Blocking work run on a thread of its own, awaited without holding a thread of Swift's
/// cooperative pool.
///
/// The pool has one thread a core: on a two-core machine, two tests blocked in `read(2)` or
/// `waitpid(2)` stop every other test in the process, and a 200 ms deadline elsewhere takes
/// 40 s. Every blocking wait in Gale's tests (a child process, the FastCGI client, a CGI run of
/// an application) goes through here.
package enum DedicatedThread {
    /// Runs `work` on a new thread and returns what it returned, or throws what it threw.
    package static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
