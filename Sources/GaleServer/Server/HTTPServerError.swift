/// Why the HTTP server could not do what was asked.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case notBound
        case alreadyStarted
        case unsupportedProcessCount(Int)
        case bindFailed(String, Int, String)
    }

    private let kind: Kind

    /// `start` was called before `bind`.
    public static let notBound = HTTPServerError(kind: .notBound)
    /// `start` was called twice.
    public static let alreadyStarted = HTTPServerError(kind: .alreadyStarted)

    /// `start(n)` with n other than 1.
    public static func unsupportedProcessCount(_ count: Int) -> HTTPServerError {
        HTTPServerError(kind: .unsupportedProcessCount(count))
    }

    /// The address could not be bound.
    public static func bindFailed(address: String, port: Int, reason: String) -> HTTPServerError {
        HTTPServerError(kind: .bindFailed(address, port, reason))
    }

    public var description: String {
        switch kind {
        case .notBound:
            return "HTTPServer.start() called before bind(port)"
        case .alreadyStarted:
            return "HTTPServer.start() called twice"
        case .unsupportedProcessCount(let count):
            return "HTTPServer.start(\(count)): only one process is supported so far; "
                + "run one process per CPU behind a load balancer, or use start(1)"
        case .bindFailed(let address, let port, let reason):
            return "cannot listen on \(address):\(port): \(reason)"
        }
    }
}
