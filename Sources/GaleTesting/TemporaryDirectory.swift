#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A fresh directory of files for one test (templates, static files, translations), removed by
/// `remove()`.
///
/// ```swift
/// let files = try TemporaryDirectory(["base.html": "...", "page.html": "..."])
/// defer { files.remove() }
/// ```
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory under the system's temporary directory, with `files` (relative
    /// paths to UTF-8 contents; folders are made as needed).
    public init(_ files: [String: String] = [:]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gale-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    /// Writes (or replaces) one file.
    public func write(_ name: String, _ text: String) throws {
        let file = path + "/" + name
        if let slash = file.lastIndex(of: "/") {
            try FileManager.default.createDirectory(atPath: String(file[..<slash]), withIntermediateDirectories: true)
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
