/// The plain error page every part of Gale sends when it has nothing better: a handler's
/// default `writeError`, the async server refusing a malformed request, a gateway refusing a
/// route. Tornado's default `write_error` page, byte for byte.
package enum ErrorPage {
    /// `<html><title>404: Not Found</title><body>404: Not Found</body></html>`; `detail`, when
    /// given, is already-escaped HTML placed after the title in the body.
    package static func html(status: Int, reason: String? = nil, detail: String = "") -> String {
        let title = "\(status): \(Escape.xhtmlEscape(reason ?? HTTPStatus.reasonPhrase(for: status)))"
        return "<html><title>\(title)</title><body>\(title)\(detail)</body></html>"
    }

    /// A whole error response: the page with `Content-Type` and `Content-Length` set, and
    /// `Connection: close` when `closing`. `explanation`, plain text, is shown escaped under
    /// the title: only for reasons that are safe and useful to a client.
    package static func response(status: Int, closing: Bool, explanation: String? = nil) -> (
        head: ResponseHead, body: [UInt8]
    ) {
        let detail = explanation.map { "<p>\(Escape.xhtmlEscape($0))</p>" } ?? ""
        let body = Array(html(status: status, detail: detail).utf8)
        var headers: HTTPHeaders = [
            "Content-Type": "text/html; charset=UTF-8", "Content-Length": String(body.count),
        ]
        if closing { headers.add("Connection", "close") }
        return (ResponseHead(status: status, reason: HTTPStatus.reasonPhrase(for: status), headers: headers), body)
    }
}
