import Gale
import Logging

extension Application {
    /// The same application with its error and access loggers at `level`: `.critical` keeps
    /// passing tests quiet, `.trace` shows everything while debugging one.
    public func withLogLevel(_ level: Logger.Level) -> Application {
        var copy = self
        copy.logger.logLevel = level
        copy.accessLogger.logLevel = level
        return copy
    }
}
