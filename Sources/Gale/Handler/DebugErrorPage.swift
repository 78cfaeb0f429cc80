/// The error page a handler sends when `serveTraceback` is on: what went wrong, where, and in
/// which request, every part HTML-escaped.
///
/// Tornado: `RequestHandler.write_error` with `serve_traceback`, which sends the exception's
/// traceback as plain text. A Swift error carries no traceback, so the page shows what Gale
/// knows: the error's type and description; where it was made and the stack there, for a
/// `LocatedError` (a plain Swift error gets one line saying neither is known; Gale's own 404
/// for an unmatched path has no stack, since no application code ran); the template
/// file, line and text, for a `TemplateError`; the handler class and its route's pattern; the
/// request line. The title and status are the plain page's.
struct DebugErrorPage {
    let handler: RequestHandler
    let status: Int
    let error: any Error

    /// The whole page.
    var html: String {
        let detail = sections.map { title, text in
            "\n<h2>\(Escape.xhtmlEscape(title))</h2><pre>\(Escape.xhtmlEscape(text))</pre>"
        }
        return ErrorPage.html(status: status, reason: handler.reason, detail: detail.joined() + "\n")
    }

    /// Each section's title and plain text, in the order shown.
    var sections: [(String, String)] {
        var sections = [("Error", "\(String(reflecting: type(of: error))): \(String(reflecting: error))")]
        if let located = error as? any LocatedError {
            sections.append(("Thrown at", located.location.description))
            if (handler as? ErrorHandler)?.answersByItself != true {
                sections.append(("Stack", stack(of: located)))
            }
        } else if let templateError = error as? TemplateError {
            sections.append(("Template", templateSource(templateError)))
        } else {
            sections.append(
                (
                    "Thrown at",
                    "unknown: Swift errors carry no location or stack; throw HTTPError, or adopt LocatedError, to get them"
                ))
        }
        sections.append(("Handler", handlerDescription))
        sections.append(("Request", "\(handler.request.method) \(handler.request.uri) \(handler.request.version)"))
        return sections
    }

    private func stack(of error: any LocatedError) -> String {
        guard let trace = error.trace else {
            return "not captured: the error was made outside a traced request, or its type does not call "
                + "ErrorTrace.capture()"
        }
        let lines = trace.lines(from: error.location)
        return lines.isEmpty ? "not available on this platform" : lines.joined(separator: "\n")
    }

    /// The handler class, and the route that chose it.
    private var handlerDescription: String {
        var text = String(reflecting: type(of: handler))
        if let failed = (handler as? ErrorHandler)?.failedHandlerType {
            text = "\(String(reflecting: failed)) (its initialize() threw; \(text) answered)"
        }
        if let pattern = handler.routePattern {
            text += " for the route \(pattern)"
        } else {
            text += ", no route matched the path"
        }
        return text
    }

    /// `templates/home.html:5`, then that line of the template as it is on disk now.
    private func templateSource(_ error: TemplateError) -> String {
        // The templates `render` uses: the same choice as `RequestHandler.renderBytes`.
        guard !error.template.hasPrefix("<"),
            let root = handler.application.settings.templateLoader?.root ?? handler.getTemplatePath()
        else {
            return "\(error.template):\(error.line)"
        }
        let path = root + "/" + error.template
        guard error.line >= 1 else { return path }
        var text = "\(path):\(error.line)"
        if let bytes = try? FileSystem.read(path, offset: 0, length: 1 << 20) {
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if error.line <= lines.count {
                text += "\n\(error.line): " + String(decoding: lines[error.line - 1], as: UTF8.self)
            }
        }
        return text
    }
}
