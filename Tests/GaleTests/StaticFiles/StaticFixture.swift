import Crypto
import Foundation
import Gale

/// A static root in a fresh temporary directory, with a secret file beside it (outside the
/// root) and a symlink inside that points at the secret.
struct StaticFixture {
    let base: URL
    var root: String { base.appendingPathComponent("static").path }
    var secret: String { base.appendingPathComponent("secret.txt").path }

    static let hello = "Hello, static world\n"
    static let script = "console.log('plain');\n"

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("gale-static-\(UUID().uuidString)")
        let root = base.appendingPathComponent("static")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("dir"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("images"), withIntermediateDirectories: true)
        try Self.hello.write(to: root.appendingPathComponent("hello.txt"), atomically: true, encoding: .utf8)
        try "<h1>index</h1>".write(to: root.appendingPathComponent("dir/index.html"), atomically: true, encoding: .utf8)
        try "User-agent: *\n".write(to: root.appendingPathComponent("robots.txt"), atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 3]).write(to: root.appendingPathComponent("favicon.ico"))
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: root.appendingPathComponent("images/logo.png"))
        try Data([0x89, 0x50, 0x4E, 0x47, 1]).write(to: root.appendingPathComponent("apple-touch-icon.png"))
        try Self.script.write(to: root.appendingPathComponent("app.js"), atomically: true, encoding: .utf8)
        try Data("GZIP-BYTES".utf8).write(to: root.appendingPathComponent("app.js.gz"))
        try Data("BROTLI-BYTES".utf8).write(to: root.appendingPathComponent("app.js.br"))
        try Data().write(to: root.appendingPathComponent("empty.txt"))
        var words = (0..<(1 << 17)).map { _ in UInt64.random(in: .min ... .max) }
        try Data(bytes: &words, count: words.count * 8).write(to: root.appendingPathComponent("big.bin"))
        try "top secret".write(to: base.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("escape.txt").path, withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("inside.txt").path, withDestinationPath: "hello.txt")
    }

    func remove() {
        try? FileManager.default.removeItem(at: base)
    }

    /// The bytes of a file under the root.
    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + name)))
    }

    /// Tornado 6's version of a file: the SHA-512 hex of its bytes.
    func version(_ name: String) throws -> String {
        SHA512.hash(data: try bytes(name)).map { String(format: "%02x", $0) }.joined()
    }
}
