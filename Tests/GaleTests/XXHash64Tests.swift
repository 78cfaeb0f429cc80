import Testing

@testable import Gale

/// The automatic `Etag`'s hash against the reference implementation: every vector below was
/// printed by the `xxhash` package from PyPI (`xxhash.xxh64(data).hexdigest()`), covering each path of the
/// algorithm (empty, under 4, 4-7 and 8-31 bytes, exactly 32, and long inputs with a tail).
@Suite struct XXHash64Tests {
    func hash(_ bytes: [UInt8]) -> String {
        let value = bytes.withUnsafeBytes(XXHash64.hash).bigEndian
        return withUnsafeBytes(of: value) { Hex.encode($0) }
    }

    @Test func matchesTheReferenceImplementation() {
        #expect(hash([]) == "ef46db3751d8e999")
        #expect(hash(Array("a".utf8)) == "d24ec4f1a98c6e5b")
        #expect(hash(Array("abc".utf8)) == "44bc2cf5ad770999")
        #expect(hash(Array("Hello, world".utf8)) == "303a3d777420b4d7")
        #expect(hash(Array(repeating: UInt8(ascii: "x"), count: 31)) == "60dd0d01083b99f0")
        #expect(hash(Array(repeating: UInt8(ascii: "x"), count: 32)) == "e2df261fc2ec30eb")
        #expect(hash(Array(String(repeating: "0123456789", count: 10).utf8)) == "f80e7b96315afffa")
        #expect(hash(Array((0..<768).map { UInt8($0 % 256) })) == "8e03c838c596036f")
    }

    @Test func oneChangedByteChangesTheTag() {
        var body = Array(repeating: UInt8(ascii: "a"), count: 1000)
        let before = hash(body)
        body[999] = UInt8(ascii: "b")
        #expect(hash(body) != before)
    }
}
