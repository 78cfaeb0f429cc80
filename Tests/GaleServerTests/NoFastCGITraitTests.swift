import Foundation
import GaleTesting
import Testing

/// An app that depends on this checkout with `traits: []` (Gale's `FastCGI` trait off), as a
/// downstream package does, builds with libfcgi-dev hidden, with no warning from Gale's sources,
/// and does not link libfcgi; its
/// command line serves HTTP, answers `request` and CGI, and says at start-up that `fastcgi` is
/// not in this build; GaleTesting runs in it without `.fastCGI`.
///
/// No build products can be shared across packages, so the first build compiles SwiftNIO,
/// BoringSSL and the rest again: about 6 CPU-minutes. The package and its build folder live in
/// this machine's cache (`~/.cache/gale-tests/no-fastcgi-app`), not in the checkout: a rerun
/// is incremental (seconds), and a fresh clone on a machine that has run this before (CI
/// after a developer's `make test`) recompiles only Gale's own modules, from the new sources.
/// `make test` runs this suite on its own, before the others, so that build does not compete
/// with their timeouts.
///
/// libfcgi-dev is installed here (Gale's own build needs it), so the build runs in a mount
/// namespace where every file that package installed is covered: headers by one that is only
/// an `#error`, libraries by a text file. Any module that imported `CFastCGI`, and any link
/// with `-lfcgi`, would then fail the build.
@Suite struct NoFastCGITraitTests {
    static let package = DownstreamPackage("no-fastcgi-app")

    static func manifest() throws -> String {
        """
        // swift-tools-version: 6.1
        // Written by NoFastCGITraitTests: an app using Gale without its FastCGI trait.
        // Gale's Package.swift: \(try DownstreamPackage.galeManifestDigest())
        import PackageDescription

        let package = Package(
            name: "NoFastCGIApp",
            platforms: [.macOS(.v14)],
            dependencies: [.package(path: "\(DeployConfig.repository.path)", traits: [])],
            targets: [
                .executableTarget(
                    name: "Site",
                    dependencies: [
                        .product(name: "Gale", package: "\(DownstreamPackage.galeIdentity)"),
                        .product(name: "GaleCommand", package: "\(DownstreamPackage.galeIdentity)"),
                    ]
                ),
                .executableTarget(
                    name: "Check",
                    dependencies: [
                        .product(name: "Gale", package: "\(DownstreamPackage.galeIdentity)"),
                        .product(name: "GaleTesting", package: "\(DownstreamPackage.galeIdentity)"),
                    ]
                ),
            ]
        )

        """
    }

    static let site = """
        import Gale
        import GaleCommand

        final class MainHandler: RequestHandler {
            override func get() throws {
                try write("Hello without libfcgi")
            }
        }

        enum Site: GaleApp {
            static let usesCookieSecret = false

            static func makeApplication(server: ServerOptions, options: NoOptions) throws -> Application {
                try Application([(#"/"#, MainHandler.self)])
            }
        }

        Site.main()

        """

    /// GaleTesting as a downstream test uses it: every mode `allCases` offers, then `.fastCGI`.
    static let check = """
        import Gale
        import GaleTesting

        final class MainHandler: RequestHandler {
            override func get() throws {
                try write("checked")
            }
        }

        let app = try Application([(#"/"#, MainHandler.self)])
        for mode in TestMode.allCases {
            let response = try await app.test(mode) { client async throws in try await client.get("/") }
            print("\\(mode): \\(response.status) \\(response.text)")
        }
        do {
            _ = try await app.test(.fastCGI) { client async throws in try await client.get("/") }
            print("fastCGI: served")
        } catch {
            print("fastCGI: \\(error)")
        }

        """

    /// The files libfcgi-dev installed (headers, libraries, pkg-config files); none when it is
    /// not installed.
    static func libfcgiDevFiles() async throws -> [String] {
        guard let dpkg = DownstreamPackage.tool("dpkg") else { return [] }
        guard let listed = try? await ChildProcess.check(dpkg, ["-L", "libfcgi-dev"]) else { return [] }
        return listed.split(separator: "\n").map(String.init).filter { path in
            (path.hasPrefix("/usr/include/") || path.hasPrefix("/usr/lib/"))
                && !path.hasSuffix("/")
                && (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType)
                    != .typeDirectory
        }
    }

    /// Builds the package with every file of libfcgi-dev covered, and returns what it printed.
    static func buildWithLibfcgiHidden(swift: String) async throws -> (status: Int32?, printed: String) {
        let mask = package.path + "/mask"
        try DownstreamPackage.write("#error \"libfcgi-dev is hidden for this build\"\n", to: mask + "/header.h")
        try DownstreamPackage.write("libfcgi-dev is hidden for this build: not a library\n", to: mask + "/library")
        let hidden = try await libfcgiDevFiles()
        // In a private mount namespace: the covers are gone when the build ends, and nothing
        // outside it sees them.
        let script = """
            set -e
            mask=$1; swift=$2; package=$3; shift 3
            for file in "$@"; do
                case "$file" in
                    *.h) mount --bind "$mask/header.h" "$file" ;;
                    *) mount --bind "$mask/library" "$file" ;;
                esac
            done
            if [ -e /usr/include/fcgiapp.h ]; then echo "fcgiapp.h here: $(cat /usr/include/fcgiapp.h)"; fi
            exec "$swift" build --package-path "$package" --disable-index-store -Xswiftc -gnone
            """
        let unshare = try #require(DownstreamPackage.tool("unshare"), "unshare is missing (util-linux)")
        let build = try ExampleProcess(
            unshare,
            ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", mask, swift, package.path]
                + hidden)
        let status = await build.stop(signal: 0, timeout: .seconds(1500))
        if !hidden.isEmpty {
            #expect(
                build.printed.contains("fcgiapp.h here: #error \"libfcgi-dev is hidden for this build\""),
                "the mask did not hold: \(build.printed)")
        }
        return (status, build.printed)
    }

    @Test(.timeLimit(.minutes(30))) func anAppWithoutTheTraitBuildsServesAndLinksNoLibfcgi() async throws {
        let swift = try #require(DownstreamPackage.tool("swift"), "swift is not on PATH")
        let ldd = try #require(DownstreamPackage.tool("ldd"), "ldd is missing")
        let package = Self.package.path
        try Self.package.write(try Self.manifest(), to: "Package.swift")
        try Self.package.write(Self.site, to: "Sources/Site/main.swift")
        try Self.package.write(Self.check, to: "Sources/Check/main.swift")
        try Self.package.pinLikeTheCheckout()

        let started = ContinuousClock.now
        let build = try await Self.buildWithLibfcgiHidden(swift: swift)
        print("NoFastCGITraitTests: swift build took \(ContinuousClock.now - started)")
        try #require(build.status == 0, "the build failed: \(build.printed)")
        // A dependency builds clean: no warning from Gale's own sources in a downstream build
        // (the build recompiles them whenever they changed since the last run).
        let galeWarnings = DownstreamPackage.galeWarnings(in: build.printed)
        #expect(galeWarnings.isEmpty, "\(galeWarnings.joined(separator: "\n"))")

        // Nothing in the build plan so much as names CFastCGI, and nothing links libfcgi.
        let plan = try String(contentsOfFile: package + "/.build/debug.yaml", encoding: .utf8)
        let planNamesCFastCGI = plan.contains("CFastCGI")
        #expect(plan.contains("GaleCommand"), "not the plan of this package")
        #expect(!planNamesCFastCGI, "a module is built with CFastCGI's module map: see .build/debug.yaml")
        let bin = package + "/.build/debug"
        let linked = try await ChildProcess.check(ldd, [bin + "/Site"])
        #expect(linked.contains("libc.so"), "\(linked)")
        #expect(!linked.contains("libfcgi"), "\(linked)")

        // The one-shot request, in memory through the CGI path.
        let request = try ExampleProcess(bin + "/Site", ["request", "GET", "/"])
        #expect(await request.stop(signal: 0, timeout: .seconds(30)) == 0, "\(request.printed)")
        #expect(request.printed.hasPrefix("Status: 200 OK\r\n"), "\(request.printed)")
        #expect(request.printed.contains("\r\n\r\nHello without libfcgi"), "\(request.printed)")

        // Started by a CGI host.
        let cgi = try ExampleProcess(
            bin + "/Site", [],
            environment: ["GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "REQUEST_URI": "/"])
        #expect(await cgi.stop(signal: 0, timeout: .seconds(30)) == 0, "\(cgi.printed)")
        #expect(cgi.printed.contains("\r\n\r\nHello without libfcgi"), "\(cgi.printed)")

        // Gale's own server.
        let server = try ExampleProcess(bin + "/Site", ["serve", "--port", "0", "--address", "127.0.0.1"])
        let port = try #require(await server.servingPort(), "no serving line in: \(server.printed)")
        let response = try await httpGet(port: port, "/")
        #expect(response.status == 200)
        #expect(response.text == "Hello without libfcgi")
        #expect(await server.stop() == 0, "\(server.printed)")

        // `fastcgi`: not in the help, and a clear refusal whatever its options.
        let help = try ExampleProcess(bin + "/Site", ["--help"])
        #expect(await help.stop(signal: 0, timeout: .seconds(30)) == 0, "\(help.printed)")
        #expect(help.printed.contains("serve") && help.printed.contains("request"), "\(help.printed)")
        #expect(!help.printed.contains("fastcgi"), "\(help.printed)")
        let fastCGI = try ExampleProcess(bin + "/Site", ["fastcgi", "--socket", package + "/app.sock"])
        let fastCGIStatus = await fastCGI.stop(signal: 0, timeout: .seconds(30))
        #expect(fastCGIStatus != nil && fastCGIStatus != 0, "\(fastCGI.printed)")
        // Word for word what Docs/Guide.md shows for friendfeed.
        let guide = try String(
            contentsOf: DeployConfig.repository.appendingPathComponent("Docs/Guide.md"), encoding: .utf8)
        let shown = try #require(
            guide.components(separatedBy: "$ friendfeed fastcgi --socket /run/friendfeed.sock\n").dropFirst().first?
                .components(separatedBy: "\n```").first, "Docs/Guide.md no longer shows `fastcgi` without the trait")
        let message = shown.replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "friendfeed", with: "site")
        #expect(message.contains("site was built without Gale's FastCGI trait"), "\(message)")
        #expect(fastCGI.printed.contains(message), "\(fastCGI.printed)")
        #expect(!FileManager.default.fileExists(atPath: package + "/app.sock"))

        // GaleTesting: every mode it offers here serves; `.fastCGI` is not offered and says why.
        let check = try ExampleProcess(bin + "/Check", [])
        #expect(await check.stop(signal: 0, timeout: .seconds(60)) == 0, "\(check.printed)")
        let lines = check.printed.split(separator: "\n").map(String.init).filter { !$0.contains("gale.access") }
        #expect(
            lines == [
                "inMemory: 200 checked", "live: 200 checked", "cgi: 200 checked",
                "fastCGI: TestMode.fastCGI needs Gale's FastCGI trait (libfcgi), which this build was made without",
            ], "\(check.printed)")
    }
}
