import Gale
import Logging

/// Serves one request of a synchronous gateway: CGI variables and a body in, a CGI answer out
/// (RFC 3875). The CGI script, each FastCGI worker thread and the one-shot `request` command
/// all run requests through it.
///
/// Bad input (no `REQUEST_METHOD`, a `CONTENT_LENGTH` that is not a number or is longer than
/// the input) gets a `Status: 400` answer and a line in the log, never a crash.
public struct SynchronousGateway: Sendable {
    /// The application served.
    public var application: Application
    /// The largest body accepted; larger gets 413. Tornado: `max_body_size`.
    public var maxBodySize: Int
    /// Answer routes this mode cannot serve with 501 instead of refusing to start.
    public var serveRest: Bool

    /// A gateway for `application`.
    public init(
        application: Application, maxBodySize: Int = 100 * 1024 * 1024, serveRest: Bool = false,
        runtimeName: String = "CGI"
    ) {
        self.application = application.runningUnder(Runtime(name: runtimeName, features: []))
        self.maxBodySize = maxBodySize
        self.serveRest = serveRest
    }

    /// Routes this mode cannot serve; non-empty means start-up must stop unless `serveRest`.
    public var refusals: [SynchronousModeCheck.Refusal] {
        SynchronousModeCheck().refusals(for: application)
    }

    /// Serves one request. `readBody(n)` returns exactly `n` bytes of input, or fewer when the
    /// input ends early.
    public func handle(variables: [String: String], readBody: (Int) -> [UInt8], output: any GatewayOutput) {
        let request: ServerRequest
        do {
            let length = try GatewayRequestBuilder.contentLength(variables)
            if length > maxBodySize {
                return refuse(413, "CONTENT_LENGTH \(length) over the \(maxBodySize) byte limit", output)
            }
            let body = length > 0 ? readBody(length) : []
            guard body.count == length else {
                return refuse(400, "CONTENT_LENGTH is \(length) but the input held \(body.count) bytes", output)
            }
            request = try GatewayRequestBuilder.request(from: variables, body: body)
        } catch {
            return refuse(400, error.description, output)
        }
        let route = application.route(for: request)
        if let type = route.handlerType, !type.requirements.isEmpty {
            let missing = type.requirements.descriptions.joined(separator: " and ")
            let mode = application.runtime.name
            let reason = "\(request.method) \(request.uri) needs \(missing), which \(mode) does not offer"
            return refuse(501, reason, output, explained: true)
        }
        let writer = GatewayResponseWriter(output: output)
        application.makeHandler(route, for: request, writer: writer).execute()
        if !writer.isFinished {
            // Tornado's WSGI adapter: "request did not finish synchronously".
            application.logger.error("\(request.method) \(request.uri) did not finish synchronously")
            writer.write(ResponseChunk(isLast: true))
        }
    }

    /// A gateway error page with `status`, and the reason in the log; in the page too when
    /// `explained` (a route this mode cannot serve: the client may as well know why).
    func refuse(_ status: Int, _ reason: String, _ output: any GatewayOutput, explained: Bool = false) {
        application.accessLogger.warning("\(status) \(reason)")
        let page = ErrorPage.response(status: status, closing: false, explanation: explained ? reason : nil)
        GatewayResponseWriter(output: output).write(ResponseChunk(head: page.head, body: page.body, isLast: true))
    }
}
