import Gale
import Logging

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an app's `cookie_secret` comes from: `--cookie-secret`, else the environment
/// variable `NAME_COOKIE_SECRET`, else (so `make run` works on a fresh machine) a random
/// development secret kept in `.gale/NAME-cookie-secret` in the working directory, created on
/// first use and announced in the log. A CGI script makes none: one process per request in a
/// host's directory is no place to write one, so a CGI host sets `NAME_COOKIE_SECRET`.
public enum CookieSecret {
    /// The secret to use; `nil` when none is configured and `generate` is false.
    public static func resolve(
        given: String?, appName: String, environment: [String: String], directory: String = ".gale",
        generate: Bool = true
    ) throws -> String? {
        if let given, !given.isEmpty { return given }
        let variable = variableName(appName: appName)
        if let fromEnvironment = environment[variable], !fromEnvironment.isEmpty { return fromEnvironment }
        guard generate else { return nil }
        let path = "\(directory)/\(appName)-cookie-secret"
        let logger = Logger(label: "gale.application")
        if let data = FileManager.default.contents(atPath: path) {
            let stored = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).first
            if let stored, isGenerated(stored) {
                logger.notice("using the development cookie secret in \(path); set \(variable) in production")
                return String(stored)
            }
            logger.warning("the development cookie secret in \(path) is damaged; writing a new one")
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandError("cannot create \(directory) for a development cookie secret: \(error); set \(variable)")
        }
        try writeWhole(secret, to: path, variable: variable)
        logger.notice("generated a development cookie secret in \(path); set \(variable) in production")
        return secret
    }

    /// The environment variable that holds `appName`'s secret: `FRIENDFEED_COOKIE_SECRET`.
    public static func variableName(appName: String) -> String {
        String(appName.uppercased().map { $0 == "-" ? "_" : $0 }) + "_COOKIE_SECRET"
    }

    /// Whether `text` is what `resolve` generates: 64 hexadecimal digits.
    static func isGenerated(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Writes `secret` to a temporary file beside `path` and renames it into place, so `path`
    /// holds the whole secret or nothing: a full disk (ENOSPC) or any other failure removes
    /// the temporary file and throws, naming the cause.
    static func writeWhole(_ secret: String, to path: String, variable: String) throws {
        let temporary = "\(path).\(getpid()).tmp"
        func failure(_ step: String, _ code: Int32) -> CommandError {
            unlink(temporary)
            return CommandError(
                "cannot write a development cookie secret to \(path): \(step): \(String(cString: strerror(code))); "
                    + "free some space there or set \(variable)")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("open", errno) }
        let bytes = Array(secret.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = count < 0 ? errno : ENOSPC
                close(descriptor)
                throw failure("write", code)
            }
            written += count
        }
        // tmpfs and most file systems report a full disk on write; some only on fsync or close.
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            throw failure("fsync", code)
        }
        guard close(descriptor) == 0 else { throw failure("close", errno) }
        guard rename(temporary, path) == 0 else { throw failure("rename", errno) }
    }

    /// The process's environment variables.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}

/// A start-up problem the command reports and exits on.
public struct CommandError: Error, CustomStringConvertible {
    /// What is wrong and what to change.
    public var description: String
    init(_ description: String) { self.description = description }
}
