#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a directory a setting names is there, said so that the fix is plain: a relative
/// path is resolved from the working directory, which is named.
enum DirectoryCheck {
    /// What is wrong with `path` as a directory, or `nil` when it is one.
    static func problem(with path: String) -> String? {
        var info = stat()
        let resolved = resolvedDescription(path)
        guard stat(path, &info) == 0 else {
            let reason = errno == ENOENT ? "does not exist" : "cannot be read (\(String(cString: strerror(errno))))"
            return "\"\(path)\"\(resolved) \(reason)"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\"\(path)\"\(resolved) is not a directory" }
        return nil
    }

    /// For a relative path, where it points: " (relative to the working directory /srv/app)".
    private static func resolvedDescription(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return "" }
        guard let directory = workingDirectory() else { return " (a relative path)" }
        return " (relative to the working directory \(directory))"
    }

    /// The process's working directory; `nil` when it cannot be read.
    static func workingDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
