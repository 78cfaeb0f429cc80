import AsyncHTTPClient
import Gale
import GaleServer
import NIOCore
import NIOHTTP1
import NIOPosix

/// Fetches URLs without blocking: Tornado's `tornado.httpclient.AsyncHTTPClient`, on
/// swift-server's async-http-client and the same event loops as Gale's server.
///
/// ```swift
/// let response = try await AsyncHTTPClient.shared.fetch("http://127.0.0.1:8000/api")
/// let posted = try await AsyncHTTPClient.shared.fetch(
///     HTTPRequest("http://127.0.0.1:8000/api", method: "POST", body: Array("x=1".utf8)))
/// ```
///
/// A handler that fetches declares it (`requirements: [.asyncHTTPClient]`), so FastCGI and CGI
/// refuse its route at start-up; reach the client through `RequestHandler.httpClient`, which
/// fails that one request under them instead of blocking a worker thread. Redirects are
/// followed here, per request, as Tornado does: a 303 (and a 301 or 302 to a POST) continues
/// as a GET without the body.
public final class AsyncHTTPClient: Sendable {
    /// The process's client, on NIO's shared event loops (Gale's server's). Tornado:
    /// `AsyncHTTPClient()`, which is shared per IOLoop. It lives as long as the process.
    public static let shared = AsyncHTTPClient()

    private let client: HTTPClient

    /// A client of its own, on `group`, with `connectTimeout` (Tornado: `connect_timeout`,
    /// 20 s); call `shutdown()` when done with it. A refused connection fails at once (599),
    /// as in Tornado, rather than being retried until the timeout.
    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: Duration = .seconds(20)
    ) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: TimeAmount(connectTimeout)))
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: group, configuration: configuration)
    }

    /// Closes the client. Tornado: `close()`.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// GETs `url` (or `method` with `body`). Tornado: `fetch(url, **kwargs)`.
    public func fetch(
        _ url: String, method: String = "GET", headers: Gale.HTTPHeaders = [:], body: [UInt8]? = nil
    ) async throws(HTTPClientError) -> HTTPResponse {
        try await fetch(HTTPRequest(url, method: method, headers: headers, body: body))
    }

    /// Sends `request`, following redirects as it asks. Tornado: `fetch(request)`. Throws
    /// `HTTPClientError`: with the response for a non-2xx answer (unless `raiseError` is off),
    /// with code 599 when there is no answer.
    public func fetch(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let started = ContinuousClock.now
        let deadline = NIODeadline.now() + TimeAmount(request.requestTimeout)
        var current = request
        var redirects = 0
        while true {
            var response = try await send(current, deadline: deadline, started: started)
            if request.followRedirects, redirects < request.maxRedirects,
                [301, 302, 303, 307, 308].contains(response.code), let location = response.headers["Location"]
            {
                redirects += 1
                current.url = Self.resolve(location, against: current.url)
                current.headers.remove("Host")  // the new URL names its own host
                if response.code == 303 || ([301, 302].contains(response.code) && current.method == "POST") {
                    current.method = "GET"
                    current.body = nil
                    for name in ["Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"] {
                        current.headers.remove(name)
                    }
                }
                continue
            }
            response.requestTime = ContinuousClock.now - started
            if request.raiseError, !(200..<300).contains(response.code) {
                throw HTTPClientError(code: response.code, message: response.reason, response: response)
            }
            return response
        }
    }

    private func send(_ request: HTTPRequest, deadline: NIODeadline, started: ContinuousClock.Instant)
        async throws(HTTPClientError) -> HTTPResponse
    {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if !outgoing.headers.contains(name: "User-Agent") { outgoing.headers.add(name: "User-Agent", value: "Gale") }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let answer = try await client.execute(outgoing, deadline: deadline)
            var headers = Gale.HTTPHeaders()
            for field in answer.headers { headers.add(field.name, field.value) }
            var body: [UInt8] = []
            if let callback = request.streamingCallback {
                var received = 0
                for try await part in answer.body {
                    received += part.readableBytes
                    guard received <= request.maxBodySize else { throw BodyTooLarge(limit: request.maxBodySize) }
                    try await callback(Array(part.readableBytesView))
                }
            } else {
                var collected = ByteBuffer()
                for try await var part in answer.body {
                    guard collected.readableBytes + part.readableBytes <= request.maxBodySize else {
                        throw BodyTooLarge(limit: request.maxBodySize)
                    }
                    collected.writeBuffer(&part)
                }
                body = Array(collected.readableBytesView)
            }
            return HTTPResponse(
                request: request, code: Int(answer.status.code), reason: answer.status.reasonPhrase, headers: headers,
                body: body, effectiveURL: request.url, requestTime: ContinuousClock.now - started)
        } catch let error as HTTPClientError {
            throw error
        } catch {
            // Tornado's 599: no HTTP answer at all.
            let timedOut = NIODeadline.now() >= deadline
            throw HTTPClientError(
                code: 599, message: timedOut ? "Timeout during request" : "\(error)", response: nil)
        }
    }

    /// `location` made absolute against `base` (RFC 3986 §5.2, for the forms servers send).
    static func resolve(_ location: String, against base: String) -> String {
        if location.contains("://") { return location }
        guard let schemeEnd = base.firstRange(of: "://") else { return location }
        let authorityEnd = base[schemeEnd.upperBound...].firstIndex(of: "/") ?? base.endIndex
        let origin = String(base[..<authorityEnd])
        if location.hasPrefix("//") { return String(base[..<schemeEnd.lowerBound]) + ":" + location }
        if location.hasPrefix("/") { return origin + location }
        let path = base[authorityEnd...].split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + directory + location
    }
}

/// A response body over `HTTPRequest.maxBodySize`.
private struct BodyTooLarge: Error, CustomStringConvertible {
    var limit: Int
    var description: String { "response body larger than \(limit) bytes" }
}

extension RequestHandler {
    /// The shared async HTTP client, for handlers that declare `.asyncHTTPClient`. Under
    /// FastCGI or CGI this throws `UnavailableFeature`: that request fails with a 500 naming
    /// the feature, and the process keeps serving.
    public var httpClient: AsyncHTTPClient {
        get throws(UnavailableFeature) {
            try require(.asyncHTTPClient)
            return .shared
        }
    }
}
