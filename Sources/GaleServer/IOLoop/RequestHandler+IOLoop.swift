import Gale

extension RequestHandler {
    /// The process's event loop, for timers and callbacks from a handler. Tornado:
    /// `IOLoop.current()` inside a handler.
    ///
    /// Under FastCGI or CGI a request ends when its handler returns and no loop runs, so this
    /// throws `UnavailableFeature`: that request fails with a 500 naming the feature, and the
    /// process keeps serving. Reaching `IOLoop.current` directly skips this check.
    public var ioLoop: IOLoop {
        get throws(UnavailableFeature) {
            try require(.eventLoop)
            return .current
        }
    }
}
