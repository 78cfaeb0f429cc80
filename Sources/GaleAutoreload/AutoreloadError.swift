/// Why autoreload or `gale-autoreload` could not do what was asked.
public struct AutoreloadError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case watchFailed(String, String)
        case refused(String)
    }

    private let kind: Kind

    /// A path could not be watched (it does not exist, or inotify's limit is reached).
    public static func watchFailed(path: String, reason: String) -> AutoreloadError {
        AutoreloadError(kind: .watchFailed(path, reason))
    }

    /// Autoreload cannot run here; the text says why and what to do.
    public static func refused(_ reason: String) -> AutoreloadError {
        AutoreloadError(kind: .refused(reason))
    }

    public var description: String {
        switch kind {
        case .watchFailed(let path, let reason):
            return "cannot watch \(path) for changes: \(reason)"
        case .refused(let reason):
            return reason
        }
    }
}
