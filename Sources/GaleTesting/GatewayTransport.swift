import Gale
import GaleFastCGI
import Synchronization

/// Runs a request through the synchronous gateways: `SynchronousGateway` in memory, as a CGI
/// host would, or a FastCGI server over its socket.
enum GatewayTransport {
    /// What a malformed gateway answer looked like.
    struct MalformedAnswer: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the request through `SynchronousGateway` on a thread of its own, as a CGI host
    /// runs a process: synchronous handlers block no thread of the cooperative pool.
    static func execute(
        application: Application, method: String, uri: String, headers: HTTPHeaders, body: [UInt8]
    ) async throws -> TestResponse {
        let variables = GatewayRequestBuilder.variables(
            method: method, target: uri, headers: headers, bodyLength: body.count)
        let output = Collected()
        try await DedicatedThread.run {
            SynchronousGateway(application: application, serveRest: true).handle(
                variables: variables, readBody: { Array(body.prefix($0)) }, output: output)
        }
        return try parse(output.bytes.withLock { $0 })
    }

    /// Sends the request to a FastCGI server on `socketPath` and parses its answer.
    static func executeFastCGI(
        socketPath: String, method: String, uri: String, headers: HTTPHeaders, body: [UInt8]
    ) async throws -> TestResponse {
        let variables = GatewayRequestBuilder.variables(
            method: method, target: uri, headers: headers, bodyLength: body.count)
        let answer = try await DedicatedThread.run {
            try FastCGIClient.send(socketPath: socketPath, variables: variables, body: body)
        }
        return try parse(answer)
    }

    /// `Status: 200 OK`, headers, a blank line, the body.
    static func parse(_ bytes: [UInt8]) throws -> TestResponse {
        guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw MalformedAnswer(description: "no blank line after the headers")
        }
        var lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("Status: "),
            let status = Int(statusLine.dropFirst(8).prefix(3))
        else { throw MalformedAnswer(description: "no Status: line") }
        lines.removeFirst()
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw MalformedAnswer(description: "bad header \(line)") }
            headers.add(String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        return TestResponse(
            status: status, reason: String(statusLine.dropFirst(12)), headers: headers,
            body: Array(bytes[end.upperBound...]))
    }

    final class Collected: GatewayOutput {
        let bytes = Mutex<[UInt8]>([])
        func write(_ more: [UInt8]) { bytes.withLock { $0 += more } }
    }
}
