/// The transport an application runs under, and the runtime features it offers.
public struct Runtime: Sendable, Equatable {
    /// How messages name it, e.g. "FastCGI".
    public var name: String
    /// What handlers may use.
    public var features: HandlerRequirements

    /// Creates a runtime description.
    public init(name: String, features: HandlerRequirements) {
        self.name = name
        self.features = features
    }

    /// Gale's own HTTP server: everything.
    public static let asyncServer = Runtime(
        name: "Gale's HTTP server", features: [.coroutines, .webSockets, .asyncHTTPClient, .eventLoop])
}

/// A handler reached a runtime feature its transport does not offer (the async HTTP client or
/// an event-loop timer under FastCGI, say). That request fails with 500 and a log line naming
/// the feature; the process goes on serving.
public struct UnavailableFeature: LocatedError, Sendable, CustomStringConvertible {
    /// The feature asked for.
    public var feature: HandlerRequirements
    /// The runtime that lacks it.
    public var runtime: String
    /// Where the error was made: by default, where `init` was called.
    public var location: ErrorLocation
    /// The stack where the error was made; `nil` unless `ErrorTrace.isCapturing` was on.
    public var trace: ErrorTrace?

    /// Creates the error for `feature` missing under `runtime`. `fileID` and `line` default to
    /// the caller's.
    public init(feature: HandlerRequirements, runtime: String, fileID: String = #fileID, line: Int = #line) {
        self.feature = feature
        self.runtime = runtime
        self.location = ErrorLocation(fileID: fileID, line: line)
        self.trace = ErrorTrace.capture()
    }

    public var description: String {
        "\(feature.descriptions.joined(separator: " and ")) is not available under \(runtime); "
            + "serve this route with Gale's own server"
    }
}

extension RequestHandler {
    /// Throws `UnavailableFeature` unless the running transport offers `feature`. Features
    /// that need the async runtime call this first, so misuse fails one request clearly.
    public func require(_ feature: HandlerRequirements) throws(UnavailableFeature) {
        let missing = feature.subtracting(application.runtime.features)
        if !missing.isEmpty { throw UnavailableFeature(feature: missing, runtime: application.runtime.name) }
    }
}
