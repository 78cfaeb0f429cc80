import Gale
import Testing

@testable import GaleServer

/// Whose forwarding headers count with `xheaders`: loopback, Unix sockets and
/// `trustedDownstream` (addresses and networks). The same rules run live between network
/// namespaces in `NetworkNamespaceTests`.
@Suite struct TrustedProxiesTests {
    private func request(from peer: String, _ headers: [(String, String)]) -> ServerRequest {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name, value) }
        return ServerRequest(method: "GET", uri: "/", headers: fields, remoteIP: peer)
    }

    private func clientAddress(
        from peer: String, trusting entries: Set<String>, _ headers: [(String, String)]
    ) throws -> (ip: String, scheme: String) {
        var request = request(from: peer, headers)
        XHeaders.apply(to: &request, proxies: try TrustedProxies(entries))
        return (request.remoteIP, request.protocol)
    }

    @Test func loopbackAndUnixSocketsAreAlwaysTrusted() throws {
        let proxies = try TrustedProxies([])
        for peer in ["127.0.0.1", "127.3.4.5", "::1", "::ffff:127.0.0.1", ""] {
            #expect(proxies.trustsPeer(peer), "\(peer)")
        }
        for peer in ["10.0.0.1", "::2", "128.0.0.1", "fe80::1"] {
            #expect(!proxies.trustsPeer(peer), "\(peer)")
        }
    }

    @Test func addressesAndNetworksMatch() throws {
        let proxies = try TrustedProxies(["192.0.2.7", "10.0.0.0/8", "fd00::/8", "198.51.100.0/23"])
        #expect(proxies.contains("192.0.2.7"))
        #expect(proxies.contains("::ffff:192.0.2.7"))
        #expect(!proxies.contains("192.0.2.70"))
        #expect(proxies.contains("10.255.1.2"))
        #expect(proxies.contains("::ffff:10.1.2.3"))
        #expect(!proxies.contains("11.0.0.1"))
        #expect(proxies.contains("fd12:3456::1"))
        #expect(!proxies.contains("fe00::1"))
        #expect(proxies.contains("198.51.101.255"))
        #expect(!proxies.contains("198.51.102.0"))
        #expect(!proxies.contains("not an address"))
        #expect(try TrustedProxies(["0.0.0.0/0"]).contains("203.0.113.1"))
        #expect(try !TrustedProxies(["0.0.0.0/0"]).contains("2001:db8::1"))
    }

    @Test func malformedNetworksAreRefusedWithTheEntryNamed() {
        for entry in ["10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/+8", "x/8"] {
            let error = #expect(throws: HTTPServerError.self) { try TrustedProxies([entry]) }
            #expect(error?.description.contains("\"\(entry)\"") == true, "\(String(describing: error))")
        }
    }

    @Test func anUntrustedPeersHeadersAreIgnored() throws {
        let headers = [("X-Real-Ip", "6.6.6.6"), ("X-Forwarded-For", "6.6.6.6"), ("X-Scheme", "https")]
        let direct = try clientAddress(from: "10.9.0.5", trusting: ["10.1.0.0/16"], headers)
        #expect(direct.ip == "10.9.0.5" && direct.scheme == "http")
        let viaProxy = try clientAddress(from: "10.1.0.9", trusting: ["10.1.0.0/16"], headers)
        #expect(viaProxy.ip == "6.6.6.6" && viaProxy.scheme == "https")
    }

    @Test func forwardedForSkipsEveryTrustedHopFromTheRight() throws {
        let chain = [("X-Forwarded-For", "6.6.6.6, 203.0.113.9, 10.1.0.3, 10.2.0.4")]
        let both = try clientAddress(from: "10.2.0.1", trusting: ["10.1.0.0/16", "10.2.0.0/16"], chain)
        #expect(both.ip == "203.0.113.9")
        let one = try clientAddress(from: "10.2.0.1", trusting: ["10.2.0.0/16"], chain)
        #expect(one.ip == "10.1.0.3")
        // Every hop trusted: the leftmost, as Tornado.
        let all = try clientAddress(from: "127.0.0.1", trusting: ["0.0.0.0/0"], chain)
        #expect(all.ip == "6.6.6.6")
    }
}
