import Logging

extension RequestHandler {
    /// Sends an error page for `status` (clearing anything not yet sent), then finishes.
    /// Tornado: `send_error(status_code=500, **kwargs)`. The page comes from `writeError`.
    public func sendError(_ status: Int = 500, error: (any Error)? = nil) {
        sendError(status, reason: nil, error: error)
    }

    /// `sendError(_:error:)` with a reason phrase for the status line, used when `error` is not
    /// an `HTTPError` with its own.
    func sendError(_ status: Int, reason: String?, error: (any Error)?) {
        if headersWritten {
            application.logger.error("\(requestSummary): cannot send error \(status), headers already sent")
            if !finished {
                writer.write(ResponseChunk(isLast: true, mustClose: true))
                finished = true
                application.logRequest(self)
                onFinish()
            }
            return
        }
        clear()
        let httpError = error as? HTTPError
        do {
            try setStatus(status, reason: httpError?.reason ?? reason)
        } catch {
            try? setStatus(500)
        }
        for (name, value) in httpError?.headers ?? [:] {
            try? setHeader(name, value)
        }
        do {
            try writeError(self.status, error: error)
        } catch {
            application.logger.error("\(requestSummary): writeError failed: \(error)")
        }
        if !finished {
            do {
                try finish()
            } catch {
                application.logger.error("\(requestSummary): finishing the error page failed: \(error)")
            }
        }
    }

    /// Logs an error and answers the request with the matching error page; a `Finish` finishes
    /// the request instead, without either. Tornado: `_handle_request_exception` and
    /// `log_exception`.
    func handleRequestException(_ error: any Error) {
        if let ending = error as? Finish {
            if finished { return }
            do {
                if let body = ending.body { try write(body) }
                try finish()
            } catch {
                handleRequestException(error)  // a `ProgrammerError`: not a `Finish` again
            }
            return
        }
        if let httpError = error as? HTTPError {
            if let logMessage = httpError.logMessage {
                application.logger.warning("\(httpError.status) \(requestSummary): \(logMessage)")
            }
            if finished { return }
            sendError(httpError.status, error: httpError)
        } else {
            application.logger.error("Uncaught error \(requestSummary): \(String(reflecting: error))")
            if finished { return }
            sendError(500, error: error)
        }
    }
}
