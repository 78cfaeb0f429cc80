/// Answers every request with one error status. Tornado: `tornado.web.ErrorHandler`.
///
/// The application uses it for paths no route matches (404) and for handlers that fail to
/// initialize (500); a route can use it too: `URLSpec("/old", ErrorHandler.self, 410)`.
public final class ErrorHandler: RequestHandler, InitializableHandler {
    private var errorStatus = 404
    /// Set when a route's handler failed to initialize: the error logged with the 500.
    var initializeError: (any Error)?
    /// The handler class whose `initialize()` threw, for the error page.
    var failedHandlerType: RequestHandler.Type?

    /// Takes the status to answer with.
    public func initialize(_ arguments: Int) {
        errorStatus = arguments
    }

    convenience init(application: Application, request: ServerRequest, writer: any ResponseWriter, status: Int) {
        self.init(application: application, request: request)
        self.errorStatus = status
        attach(writer: writer, match: nil)
    }

    override public class var supportedMethods: [String] { [] }

    /// Every method ends in `errorStatus`.
    override func checkMethodAndDecodeArguments() throws {
        if let initializeError { throw initializeError }
        guard application.tracesErrors else { throw HTTPError(errorStatus) }
        // Gale answers by itself: no application code ran, so a stack would say nothing, and
        // would cost its capture and a symbolication on every missing favicon.
        throw ErrorTrace.$isCapturing.withValue(false) { HTTPError(errorStatus) }
    }

    /// Whether the answer is Gale's own (an unmatched path, an `ErrorHandler` route) rather than
    /// a stand-in for a handler whose `initialize()` threw.
    var answersByItself: Bool { failedHandlerType == nil }
}
