import Foundation

/// A package of a user's own that depends on this checkout, built and run by a test as its
/// user would. It lives in this machine's cache (`~/.cache/gale-tests/NAME`), not in the
/// checkout: no build products can be shared across packages, so its first build compiles
/// SwiftNIO, BoringSSL and the rest again (minutes), and a later one is incremental.
struct DownstreamPackage {
    /// The package's folder.
    let path: String

    init(_ name: String) {
        let environment = ProcessInfo.processInfo.environment
        let cache =
            environment["XDG_CACHE_HOME"] ?? (environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache"
        path = cache + "/gale-tests/" + name
    }

    /// The checkout's identity as a path dependency: its folder's name.
    static var galeIdentity: String { DeployConfig.repository.lastPathComponent.lowercased() }

    /// FNV-1a of Gale's own Package.swift. A package's manifest carries it, so that an edit
    /// to Gale's manifest alone makes SwiftPM load both again: it was seen here to build with
    /// a path dependency's previous manifest when only that one had changed.
    static func galeManifestDigest() throws -> String {
        let text = try String(
            contentsOf: DeployConfig.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        let digest = text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        return String(digest, radix: 16)
    }

    /// Writes `text` to `name` in the package unless it is there already, so an unchanged
    /// package stays built.
    func write(_ text: String, to name: String) throws {
        try Self.write(text, to: path + "/" + name)
    }

    /// Writes `text` to the file at `path` unless it holds it already.
    static func write(_ text: String, to path: String) throws {
        if (try? String(contentsOfFile: path, encoding: .utf8)) == text { return }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The same dependency versions as this checkout's own build, when it has resolved them.
    func pinLikeTheCheckout() throws {
        if let resolved = try? String(
            contentsOf: DeployConfig.repository.appendingPathComponent("Package.resolved"), encoding: .utf8)
        {
            try write(resolved, to: "Package.resolved")
        }
    }

    /// `name` on this process's `PATH`.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// The lines of a build's output that warn about Gale's own sources: a dependency must
    /// build clean.
    static func galeWarnings(in printed: String) -> [Substring] {
        let galeSources = DeployConfig.repository.appendingPathComponent("Sources").path + "/"
        return printed.split(separator: "\n").filter { $0.contains("warning:") && $0.contains(galeSources) }
    }
}
