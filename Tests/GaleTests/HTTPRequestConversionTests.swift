import Gale
import HTTPTypes
import Testing

/// `ServerRequest` to swift-http-types' `HTTPRequest` and back.
@Suite struct HTTPRequestConversionTests {
    @Test func requestRoundTripsThroughHTTPRequest() throws {
        let request = ServerRequest(
            method: "PUT", uri: "/a/b?x=1",
            headers: HTTPHeaders([
                ("Host", "example.com:8080"), ("X-Long-Header-Name-Here", "1"), ("cookie", "a=1"),
                ("Cookie", "b=2"), ("accept", "text/html"),
            ]),
            body: Array("body".utf8), protocol: "https")
        let converted = try request.httpRequest
        #expect(converted.method == .put)
        #expect(converted.scheme == "https")
        #expect(converted.authority == "example.com:8080")
        #expect(converted.path == "/a/b?x=1")
        #expect(
            converted.headerFields.map(\.name.rawName) == ["X-Long-Header-Name-Here", "cookie", "Cookie", "accept"])
        #expect(converted.headerFields[values: .cookie] == ["a=1", "b=2"])

        let back = ServerRequest(converted, body: request.body)
        #expect(back.method == "PUT")
        #expect(back.uri == request.uri)
        #expect(back.protocol == "https")
        #expect(back.body == request.body)
        #expect(back.headers == request.headers)  // `Host` was first, so the order is the same
        #expect(back.cookies == ["a": "1", "b": "2"])
        #expect(try back.httpRequest == converted)

        var ecosystem = HTTPRequest(method: .options, scheme: nil, authority: nil, path: "*")
        ecosystem.headerFields.append(HTTPField(name: HTTPField.Name("Host")!, value: "h"))
        ecosystem.headerFields.append(HTTPField(name: .accept, value: "*/*"))
        let served = ServerRequest(ecosystem)
        #expect(served.method == "OPTIONS" && served.uri == "*" && served.protocol == "http")
        #expect(served.headers.map(\.name) == ["Host", "Accept"])
        #expect(try served.httpRequest.authority == "h")

        let bad = ServerRequest(method: "GE T", uri: "/")
        #expect(throws: HTTPError.self) { try bad.httpRequest }
    }
}
