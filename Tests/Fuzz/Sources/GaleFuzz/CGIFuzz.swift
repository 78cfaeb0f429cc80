import Gale
import GaleFastCGI

/// CGI/FastCGI meta-variables to a request, as the CGI and FastCGI gateways build it: the input
/// is `NAME=value` lines (the environment a web server sets), a blank line, then the body. The
/// request is then asked what a handler asks: path, host, arguments, cookies.
enum CGIFuzz {
    static func run(_ input: FuzzInput) {
        var variables: [String: String] = [:]
        var body: [UInt8] = []
        var rest = input.bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            let line = rest[..<newline]
            rest = rest[(newline + 1)...]
            if line.isEmpty {
                body = Array(rest)
                rest = []
                break
            }
            let text = String(decoding: line, as: UTF8.self)
            if let equals = text.firstIndex(of: "=") {
                variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
        }
        if !rest.isEmpty, let text = String(validating: rest, as: UTF8.self), let equals = text.firstIndex(of: "=") {
            variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        if let length = try? GatewayRequestBuilder.contentLength(variables) {
            precondition(length >= 0, "negative CONTENT_LENGTH accepted: \(length)")
        }
        guard let request = try? GatewayRequestBuilder.request(from: variables, body: body) else { return }
        _ = request.path
        _ = request.query
        _ = request.host
        _ = request.hostName
        _ = request.fullURL
        _ = request.cookies
        _ = try? RequestArguments(parsing: request)
    }
}
