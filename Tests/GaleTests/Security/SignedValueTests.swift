import Foundation
import Testing

@testable import Gale

/// Signed values and XSRF tokens made by Tornado 6 (Tests/GaleTests/Fixtures/security/,
/// written by make-tornado-fixtures.py there).
struct TornadoSignedValues: Decodable {
    struct Case: Decodable {
        var secret: String
        var name: String
        var value: String
        var version: Int
        var now: Int
        var signed: String
    }
    struct Rotation: Decodable {
        var keyVersion: Int
        var signed: String
    }
    struct XSRF: Decodable {
        var mask: String
        var encoded: String
    }
    var now: Int
    var cases: [Case]
    var rotation: [Rotation]
    var refused: [String: String]
    var xsrfToken: String
    var xsrf: [XSRF]

    static func load() throws -> TornadoSignedValues {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // Security/
        url.deleteLastPathComponent()  // GaleTests/
        let data = try Data(contentsOf: url.appendingPathComponent("Fixtures/security/tornado-signed-values.json"))
        return try JSONDecoder().decode(TornadoSignedValues.self, from: data)
    }
}

@Suite struct SignedValueTests {
    let tornado: TornadoSignedValues
    init() throws { tornado = try TornadoSignedValues.load() }

    @Test func tornadosValuesDecodeAndGalesAreTheSameBytes() throws {
        for entry in tornado.cases {
            let keys = SigningKeys(entry.secret)
            let decoded = SignedValue.decode(secret: keys, name: entry.name, value: entry.signed, now: entry.now)
            #expect((try? decoded.get()).map { String(decoding: $0, as: UTF8.self) } == entry.value, "\(entry.signed)")
            // Signing is deterministic: the same bytes Tornado made, so Tornado decodes Gale's.
            #expect(
                SignedValue.create(
                    secret: keys, name: entry.name, value: Array(entry.value.utf8), version: entry.version,
                    now: entry.now)
                    == entry.signed)
        }
    }

    @Test func keyRotation() throws {
        let keys = try #require(SigningKeys(versions: [1: "old-key", 2: "new-key"], current: 2))
        for entry in tornado.rotation {
            #expect(
                (try? SignedValue.decode(secret: keys, name: "user", value: entry.signed, now: tornado.now).get())
                    == Array("bo".utf8))
        }
        #expect(
            SignedValue.create(secret: keys, name: "user", value: Array("bo".utf8), now: tornado.now)
                == tornado.rotation.first { $0.keyVersion == 2 }?.signed)
        let retired = try #require(SigningKeys(versions: [2: "new-key"], current: 2))
        let old = try #require(tornado.rotation.first { $0.keyVersion == 1 })
        #expect(
            SignedValue.decode(secret: retired, name: "user", value: old.signed, now: tornado.now)
                == .failure(.unknownKeyVersion(1)))
    }

    @Test func refusesWhatTornadoRefuses() {
        let keys = SigningKeys("secret")
        for (reason, value) in tornado.refused {
            let result = SignedValue.decode(secret: keys, name: "user", value: value, now: tornado.now)
            #expect((try? result.get()) == nil, "\(reason): \(value)")
        }
        #expect(SignedValue.decode(secret: keys, name: "user", value: "", now: 0) == .failure(.empty))
        let good = SignedValue.create(secret: keys, name: "user", value: Array("ann".utf8), now: tornado.now)
        #expect(
            SignedValue.decode(secret: keys, name: "user", value: good, minVersion: 3, now: tornado.now)
                == .failure(.belowMinimumVersion(2)))
        #expect(
            SignedValue.decode(secret: keys, name: "user", value: good, maxAgeDays: 1, now: tornado.now + 2 * 86_400)
                == .failure(.expired))
    }

    @Test func hostileInputNeverTraps() {
        let keys = SigningKeys("secret")
        let inputs = [
            "2|", "2|99999999999999999999:|", "2|-1:0|", "2|1:0", "2|1:0|1:", "2|5:0|", "|||", "2||||||",
            String(repeating: "2|1:0|", count: 10_000), "1|2|3", "\u{0}|\u{0}|\u{0}", "é|é|é", "999|x",
            "2|1:0|10:1700000000|4:user|4:YW5u|" + String(repeating: "a", count: 64),
        ]
        for input in inputs {
            #expect(
                (try? SignedValue.decode(secret: keys, name: "user", value: input, now: 1_700_000_000).get()) == nil)
        }
    }

    @Test func xsrfTokensRoundTripWithTornado() throws {
        let token = try #require(Hex.decode(Substring(tornado.xsrfToken)))
        for entry in tornado.xsrf {
            let decoded = try #require(XSRFToken.decode(entry.encoded, now: 0))
            #expect(decoded.token == token)
            #expect(decoded.version == 2)
            let mask = try #require(Hex.decode(Substring(entry.mask)))
            #expect(
                XSRFToken(version: 2, token: token, timestamp: tornado.now).encoded(version: 2, mask: mask)
                    == entry.encoded)
        }
        #expect(XSRFToken.decode(tornado.xsrfToken, now: 5)?.token == token)  // version 1: plain hex
        for bad in ["2|zz|00|1", "2|00|0|1", "2|0011|00", "3|a|b|c", "2|00|00|x"] {
            #expect(XSRFToken.decode(bad, now: 0) == nil, "\(bad)")
        }
    }
}
