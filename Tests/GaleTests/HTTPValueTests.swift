import Testing

@testable import Gale

@Suite struct HTTPValueTests {
    @Test func httpDateFormatsAndParses() {
        #expect(HTTPDate.format(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSince1970: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: -86_400) == "Wed, 31 Dec 1969 00:00:00 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
        for seconds in stride(from: 0, to: 4_000_000_000, by: 123_456_789) {
            #expect(HTTPDate.parse(HTTPDate.format(secondsSince1970: seconds)) == seconds)
        }
    }

    @Test func urlEncoding() throws {
        #expect(URLEncoding.encode("a b/c&d=é") == "a+b%2Fc%26d%3D%C3%A9")
        #expect(URLEncoding.encode("a b/c", plus: false, keepSlash: true) == "a%20b/c")
        #expect(URLEncoding.decodeString("a+b%20c", plus: true) == "a b c")
        #expect(URLEncoding.decodeString("a+b", plus: false) == "a+b")
        #expect(URLEncoding.decodeString("%zz") == nil)
        #expect(URLEncoding.decodeString("%4") == nil)
        #expect(URLEncoding.decodeString("%ff") == nil)
        let pairs = try URLEncoding.parseForm(Substring("a=1&b&&c=%20x&a=2").utf8)
        #expect(pairs.map(\.0) == ["a", "b", "c", "a"])
        #expect(pairs.map { String(decoding: $0.1, as: UTF8.self) } == ["1", "", " x", "2"])
    }

    @Test func headersAreCaseInsensitiveAndOrdered() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain", "Set-Cookie": "a=1"]
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        headers.replaceOrAdd("Set-Cookie", "c=3")
        #expect(headers.values(for: "Set-Cookie") == ["c=3"])
        headers.remove("CONTENT-TYPE")
        #expect(!headers.contains("Content-Type"))
        #expect(!"Content-Type".equalsIgnoringASCIICase("Content_Type"))
        #expect(!"[".equalsIgnoringASCIICase("{"))
        // Bytes 0x20 apart fold together only when they are letters: `-` is not `\r`.
        #expect(!"Content-Length".equalsIgnoringASCIICase("Content\rLength"))
        #expect("Content-Length".equalsIgnoringASCIICase("cONTENT-lENGTH"))
        #expect("x-Content-Length".dropFirst(2).equalsIgnoringASCIICase("content-length"))
        #expect(!"Content-Length".equalsIgnoringASCIICase("Content-Lengths"))
        #expect(!"Zoë".equalsIgnoringASCIICase("ZOË"))
    }

    @Test func routePatternsPickTheCheapMatcher() throws {
        if case .literal(let text) = try RoutePattern(#"/robots\.txt"#).matcher {
            #expect(text == "/robots.txt")
        } else {
            Issue.record("a pattern without regex syntax should be a literal")
        }
        if case .regex(let prefix, _) = try RoutePattern(#"/user/([0-9]+)$"#).matcher {
            #expect(prefix == "/user/")
        } else {
            Issue.record("a pattern with groups should be a regex")
        }
        #expect(RoutePattern.literalPrefix(of: "/ab?c") == "/a")
        #expect(try RoutePattern(#"/a/(?:b|c)/(d)"#).reverseTemplate == nil)
        #expect(try RoutePattern(#"/a/(?:b|c)/(d)"#).groupCount == 1)
        #expect(try RoutePattern(#"/p/(?P<x>\d+)/(?<y>\w+)"#).groupNames == ["x", "y"])
    }

    @Test func requestValueParts() {
        let request = ServerRequest(
            method: "GET", uri: "/a/b?x=1&y=2", headers: ["Host": "example.com:8080", "Cookie": "a=1; b=2"],
            protocol: "https")
        #expect(request.path == "/a/b")
        #expect(request.query == "x=1&y=2")
        #expect(request.hostName == "example.com")
        #expect(request.fullURL == "https://example.com:8080/a/b?x=1&y=2")
        #expect(request.cookies == ["a": "1", "b": "2"])
        #expect(ServerRequest(method: "GET", uri: "/", headers: ["Host": "[::1]:80"]).hostName == "::1")
    }

    @Test func accessLogMilliseconds() {
        #expect(Application.formatMilliseconds(0.414) == "0.41ms")
        #expect(Application.formatMilliseconds(12.0) == "12.00ms")
        #expect(Application.formatMilliseconds(0.005) == "0.01ms")
    }
}
