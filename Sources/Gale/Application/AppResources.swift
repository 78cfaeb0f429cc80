#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folder of an app's templates, static files and translations, found the same way in
/// development and wherever the app is deployed.
///
/// Declare the folders as the target's resources in Package.swift
/// (`resources: [.copy("templates"), .copy("static")]`): `swift build` copies them into a
/// folder named `<Package>_<Target>.resources` beside the executable, and a deployment copies
/// that folder along with the executable. ``bundle(package:target:)`` finds it there, or where
/// the `GALE_RESOURCES` environment variable says, and throws a start-up error naming the places
/// it looked when it is in neither: no trap, unlike SwiftPM's `Bundle.module` on Linux.
///
/// Tornado: `os.path.join(os.path.dirname(__file__), "templates")`, which works because a
/// Python app ships as its sources; a Swift app ships as an executable.
public struct AppResources: Sendable, Hashable {
    /// The environment variable that names the resources folder, for an installation that
    /// keeps it apart from the executable (`/usr/share/todo/Todo_Todo.resources`).
    public static let environmentVariable = "GALE_RESOURCES"

    /// The folder, as an absolute path.
    public let path: String

    /// The resources in `path`, resolved from the working directory when relative.
    public init(path: String) {
        self.path = path.hasPrefix("/") ? path : (DirectoryCheck.workingDirectory() ?? ".") + "/" + path
    }

    /// The path of `name` inside the folder: `resources.path("templates")` for
    /// `Settings.templatePath`.
    public func path(_ name: String) -> String {
        path + "/" + name
    }

    /// The resources SwiftPM built for `target` of `package` (the `name:`s in Package.swift):
    /// the folder `GALE_RESOURCES` names when it is set, else `<package>_<target>.resources`
    /// beside the running executable (symbolic links followed).
    public static func bundle(package: String, target: String) throws(StartupError) -> AppResources {
        try bundle(
            named: "\(package)_\(target).resources", executable: executablePath(),
            environment: getenv(environmentVariable).map { String(cString: $0) })
    }

    /// `bundle(package:target:)` with the executable and the environment given, for tests.
    static func bundle(named name: String, executable: String?, environment: String?) throws(StartupError)
        -> AppResources
    {
        if let environment, !environment.isEmpty {
            if let problem = DirectoryCheck.problem(with: environment) {
                throw StartupError(problems: ["\(environmentVariable) names \(problem)"])
            }
            return AppResources(path: environment)
        }
        guard let executable, let slash = executable.utf8.lastIndex(of: UInt8(ascii: "/")) else {
            throw StartupError(problems: [
                "the running executable's path is unknown, so \(name) cannot be found beside it: "
                    + "set \(environmentVariable) to the resources folder"
            ])
        }
        let directory = String(executable[..<slash])
        let resources = AppResources(path: directory + "/" + name)
        guard DirectoryCheck.problem(with: resources.path) != nil else { return resources }
        let others = bundlesIn(directory)
        throw StartupError(problems: [
            "the resources folder \(name) is not beside the executable \(executable) "
                + "(looked for \(resources.path), and \(environmentVariable) is not set); "
                + "copy it from the build folder (.build/release/\(name)) with the executable, "
                + "or set \(environmentVariable) to where it is"
                + (others.isEmpty ? "" : "; resources folders there: \(others.joined(separator: ", "))")
        ])
    }

    /// The `.resources` folders in `directory`, by name, to point at a misspelt name.
    private static func bundlesIn(_ directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".resources") { names.append(name) }
        }
        return names.sorted()
    }

    /// The running executable's path: `/proc/self/exe` on Linux, with links followed.
    private static func executablePath() -> String? {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
            return CommandLine.arguments.first.flatMap { realpath($0, nil) }.map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            }
        #endif
    }
}
