import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension RequestHandler {
    // MARK: Status and headers

    /// Sets the response status and, optionally, a custom reason phrase.
    /// Tornado: `set_status(status_code, reason=None)`.
    public func setStatus(_ code: Int, reason: String? = nil) throws(ProgrammerError) {
        guard (100...599).contains(code) else {
            throw ProgrammerError("setStatus(\(code)): status codes are 100-599")
        }
        if let reason { try Self.checkHeaderValue(reason, for: "reason phrase") }
        status = code
        self.reason = reason
    }

    /// Sets a response header, replacing any with the same name. Tornado: `set_header`.
    /// A value with a control character (CR or LF would split the response) is refused.
    public func setHeader(_ name: String, _ value: String) throws(ProgrammerError) {
        try Self.checkHeader(name, value)
        responseHeaders.replaceOrAdd(name, value)
    }

    /// Sets a header to a number. Tornado: `set_header(name, int)`.
    public func setHeader(_ name: String, _ value: Int) throws(ProgrammerError) {
        try setHeader(name, String(value))
    }

    /// Adds a response header, keeping existing ones with the same name. Tornado: `add_header`.
    public func addHeader(_ name: String, _ value: String) throws(ProgrammerError) {
        try Self.checkHeader(name, value)
        responseHeaders.add(name, value)
    }

    /// Removes a response header (even a default one such as `Server`). Tornado: `clear_header`.
    public func clearHeader(_ name: String) {
        responseHeaders.remove(name)
    }

    /// The response headers set so far.
    public var headers: HTTPHeaders { responseHeaders }

    /// Resets status, headers and unsent output to their defaults, then calls
    /// `setDefaultHeaders()`. Tornado: `clear()`. An error `setDefaultHeaders()` throws here is
    /// logged: `sendError` clears the response before its page, and the page must still go out.
    public func clear() {
        responseHeaders = application.defaultResponseHeaders
        do {
            try setDefaultHeaders()
        } catch {
            application.logger.error("\(requestSummary): setDefaultHeaders() failed: \(error)")
        }
        writeBuffer.removeAll(keepingCapacity: true)
        status = 200
        reason = nil
    }

    // MARK: Body

    /// Appends text to the response body (sent at `flush` or `finish`). Tornado: `write(str)`.
    public func write(_ text: String) throws(ProgrammerError) {
        try checkWritable()
        writeBuffer.append(contentsOf: text.utf8)
    }

    /// Appends bytes to the response body. Tornado: `write(bytes)`.
    public func write(_ bytes: [UInt8]) throws(ProgrammerError) {
        try checkWritable()
        writeBuffer.append(contentsOf: bytes)
    }

    /// Writes `value` as JSON and sets `Content-Type: application/json; charset=UTF-8`.
    /// Tornado: `write(dict)`, whose body is `json_encode(dict)`; for the same data Gale's is
    /// byte for byte Tornado's: `", "` and `": "` between items, everything outside printable
    /// ASCII as `\uXXXX`, and `</` written `<\/`, so the JSON is safe inside a `<script>`.
    ///
    /// `value` goes through `TemplateValue(encoding:)`, as `render`'s values do: a struct's
    /// fields in declaration order (`nil` ones as `null`, as a Python dict holding `None`),
    /// string-keyed dictionaries with their keys sorted (a Swift dictionary has no order, and
    /// two processes must send the same body and `Etag`), dates as seconds since 1970, URLs as
    /// their absolute string, `Data` as Base64; a `TemplateValueConvertible` value gives its
    /// `templateValue` without `Codable`.
    ///
    /// Throws `JSONEncodingError` for a non-finite float (JSON has no `NaN`) and rethrows what
    /// the value's `encode(to:)` throws; either way nothing is written and `Content-Type` is
    /// not set, so the handler can still send an error page.
    public func write<Value: Encodable>(_ value: Value) throws {
        try checkWritable()
        let json = try TemplateValue(encoding: value)
        let start = writeBuffer.count
        do {
            try Escape.appendStrictJSON(json, to: &writeBuffer)
        } catch {
            writeBuffer.removeSubrange(start...)
            throw error
        }
        try setHeader("Content-Type", "application/json; charset=UTF-8")
    }

    /// Sends what has been written so far (and the headers, the first time): streaming.
    /// Tornado: `flush()`. After the first flush, the status and headers can no longer change.
    public func flush() throws(ProgrammerError) {
        try checkWritable()
        try send(isLast: false)
    }

    /// Sends a slice of a file as the next part of the body, after what was written before it.
    /// The file is not read here: the transport sends it (sendfile on the NIO server).
    /// Set `Content-Length` first when the file is the whole body.
    public func writeFile(_ file: FileBody) throws(ProgrammerError) {
        try checkWritable()
        try send(isLast: false, file: file)
    }

    /// Ends the response, writing `text` first if given. Tornado: `finish(chunk=None)`.
    public func finish(_ text: String? = nil) throws(ProgrammerError) {
        try finish(text, file: nil)
    }

    /// `finish`, with a file slice as the end of the body: a static file's head and body reach
    /// the transport as one chunk.
    func finish(_ text: String?, file: FileBody?) throws(ProgrammerError) {
        if finished { throw ProgrammerError("finish() called twice") }
        var file = file
        if let text { try write(text) }
        if !headersWritten && status == 200 && (request.method == "GET" || request.method == "HEAD")
            && !responseHeaders.contains("Etag")
        {
            // Tornado's automatic Etag and 304.
            try setEtagHeader()
            if checkEtagHeader() {
                writeBuffer.removeAll()
                file = nil
                try setStatus(304)
            }
        }
        try send(isLast: true, file: file)
        finished = true
        application.logRequest(self)
        onFinish()
    }

    /// Redirects to `url`: 301 when `permanent`, else 302, or `status` if given.
    /// Tornado: `redirect(url, permanent=False, status=None)`.
    public func redirect(_ url: String, permanent: Bool = false, status: Int? = nil) throws(ProgrammerError) {
        if headersWritten { throw ProgrammerError("Cannot redirect after headers have been written") }
        let code = status ?? (permanent ? 301 : 302)
        guard (300...399).contains(code) else { throw ProgrammerError("redirect status \(code) is not 3xx") }
        try setHeader("Location", url)
        try setStatus(code)
        try finish()
    }

    // MARK: Sending

    /// Whether the response may carry a body (RFC 9110 §6.4.1).
    var statusAllowsBody: Bool {
        !(100...199).contains(status) && status != 204 && status != 304
    }

    /// Sends the buffered output (and `file` after it): the head first time, `Content-Length`
    /// when the whole body is known, and nothing of the body for HEAD.
    func send(isLast: Bool, file: FileBody? = nil) throws(ProgrammerError) {
        if let chunk = try nextChunk(isLast: isLast, file: file) { writer.write(chunk) }
    }

    /// The chunk that sends the buffered output, or `nil` when there is nothing to send (or a
    /// broken response was already ended). Throws when the output breaks its own
    /// `Content-Length`: before the head, the request can still fail with a 500; after it, the
    /// response has been cut off and the connection must close.
    func nextChunk(isLast: Bool, file: FileBody?) throws(ProgrammerError) -> ResponseChunk? {
        let pending = writeBuffer.count + (file?.length ?? 0)
        let isHead = request.method == "HEAD"
        var head: ResponseHead?
        if !headersWritten {
            // In place: once sent, the handler's headers are the sent ones (no copy to grow).
            for cookie in newCookies { responseHeaders.add("Set-Cookie", cookie) }
            if !statusAllowsBody {
                // Tornado's `_clear_representation_headers`: no body, so nothing describes one.
                for name in ["Content-Length", "Content-Type", "Content-Encoding", "Content-Language"] {
                    responseHeaders.remove(name)
                }
                writeBuffer.removeAll()
            } else if let declared = responseHeaders["Content-Length"] {
                guard let length = Int(declared), length >= 0 else {
                    throw ProgrammerError("Content-Length header is not a number: \(declared)")
                }
                if !isHead && (pending > length || (isLast && pending != length)) {
                    // Nothing is sent yet, so the request can still fail cleanly with a 500.
                    throw ProgrammerError("wrote \(pending) bytes but Content-Length is \(length)")
                }
                declaredLength = isHead ? nil : length
            } else if isLast {
                responseHeaders.add("Content-Length", String(pending))
                declaredLength = pending
            }
            head = ResponseHead(
                status: status, reason: reason ?? HTTPStatus.reasonPhrase(for: status), headers: responseHeaders)
            headersWritten = true
        } else if pending == 0 && !isLast {
            return nil
        }
        bytesSent += pending
        if let declaredLength, bytesSent > declaredLength || (isLast && bytesSent != declaredLength) {
            // The head already promised a length; the connection cannot be reused.
            application.logger.error(
                "\(requestSummary): wrote \(bytesSent) bytes but Content-Length is \(declaredLength)")
            writeBuffer = []
            writer.write(ResponseChunk(head: head, isLast: true, mustClose: true))
            if !isLast {
                finished = true
                application.logRequest(self)
                onFinish()
                throw ProgrammerError("response body longer than its Content-Length")
            }
            return nil
        }
        let body = isHead ? [] : writeBuffer
        writeBuffer = []
        return ResponseChunk(head: head, body: body, file: isHead ? nil : file, isLast: isLast)
    }

    func checkWritable() throws(ProgrammerError) {
        if finished { throw ProgrammerError("Cannot write() after finish()") }
    }

    static func checkHeader(_ name: String, _ value: String) throws(ProgrammerError) {
        let isToken =
            name.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isTokenByte) }
            ?? name.utf8.allSatisfy(isTokenByte)
        guard !name.isEmpty, isToken else {
            throw ProgrammerError("Invalid header name \(name.debugDescription)")
        }
        try checkHeaderValue(value, for: name)
    }

    /// Tornado's `_INVALID_HEADER_CHAR_RE` (`[\x00-\x1f]`), plus DEL. Scans the string's
    /// bytes in place (a `String.UTF8View` walked byte by byte cost about 30 instructions a
    /// byte: a 42-byte `Etag` was 1,400 instructions of every hello request).
    static func checkHeaderValue(_ value: String, for name: String) throws(ProgrammerError) {
        let unsafe =
            value.utf8.withContiguousStorageIfAvailable { $0.contains(where: isControlByte) }
            ?? value.utf8.contains(where: isControlByte)
        if unsafe {
            throw ProgrammerError("Unsafe \(name) value \(value.debugDescription): control characters are not allowed")
        }
    }

    /// A byte a header value may not hold: a control character other than tab, or DEL.
    @inline(__always)
    static func isControlByte(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09) || byte == 0x7F
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"),
            UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
