/// Why the HTTP server could not do what was asked.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case notBound
        case alreadyStarted
        case processesRefused(String)
        case bindFailed(String, Int, String)
        case invalidConfiguration(String)
        case tlsFile(String, String)
    }

    private let kind: Kind

    /// `start` was called before `bind`.
    public static let notBound = HTTPServerError(kind: .notBound)
    /// `start` was called twice.
    public static let alreadyStarted = HTTPServerError(kind: .alreadyStarted)

    /// `start(n)` cannot run several processes here; the text says why and what to do.
    public static func processesRefused(_ reason: String) -> HTTPServerError {
        HTTPServerError(kind: .processesRefused(reason))
    }

    /// The address could not be bound.
    public static func bindFailed(address: String, port: Int, reason: String) -> HTTPServerError {
        HTTPServerError(kind: .bindFailed(address, port, reason))
    }

    /// A `Configuration` value cannot be used; the text names it.
    public static func invalidConfiguration(_ reason: String) -> HTTPServerError {
        HTTPServerError(kind: .invalidConfiguration(reason))
    }

    /// A TLS file (`TLSOptions`) cannot be read or used; `reason` says which role it has and
    /// why. The server does not start.
    public static func tlsFile(_ path: String, reason: String) -> HTTPServerError {
        HTTPServerError(kind: .tlsFile(path, reason))
    }

    /// The file this error is about, for `tlsFile`; `nil` for the others.
    public var file: String? {
        if case .tlsFile(let path, _) = kind { return path }
        return nil
    }

    public var description: String {
        switch kind {
        case .notBound:
            return "HTTPServer.start() called before bind(port)"
        case .alreadyStarted:
            return "HTTPServer.start() called twice"
        case .processesRefused(let reason):
            return reason
        case .bindFailed(let address, let port, let reason):
            return "cannot listen on \(address):\(port): \(reason)"
        case .invalidConfiguration(let reason):
            return reason
        case .tlsFile(_, let reason):
            return reason
        }
    }
}
