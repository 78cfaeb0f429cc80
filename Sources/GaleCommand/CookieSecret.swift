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
        let variable = String(appName.uppercased().map { $0 == "-" ? "_" : $0 }) + "_COOKIE_SECRET"
        if let fromEnvironment = environment[variable], !fromEnvironment.isEmpty { return fromEnvironment }
        guard generate else { return nil }
        let path = "\(directory)/\(appName)-cookie-secret"
        let logger = Logger(label: "gale.application")
        if let data = FileManager.default.contents(atPath: path),
            let stored = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).first
                .map(String.init)
        {
            logger.notice("using the development cookie secret in \(path); set \(variable) in production")
            return stored
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw CommandError("cannot write a development cookie secret to \(path)")
        }
        logger.notice("generated a development cookie secret in \(path); set \(variable) in production")
        return secret
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
