// swift-tools-version: 6.1
import PackageDescription

/// Compiler-enforced hygiene for every target (see ../shared/STYLE.md).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Gale",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Gale", targets: ["Gale"]),
        .library(name: "GaleServer", targets: ["GaleServer"]),
        .library(name: "GaleClient", targets: ["GaleClient"]),
        .library(name: "GaleCommand", targets: ["GaleCommand"]),
        .library(name: "GaleAutoreload", targets: ["GaleAutoreload"]),
        .library(name: "GaleFastCGI", targets: ["GaleFastCGI"]),
        .library(name: "GaleTesting", targets: ["GaleTesting"]),
        .library(name: "GaleMetrics", targets: ["GaleMetrics"]),
        .library(name: "GaleTracing", targets: ["GaleTracing"]),
        .executable(name: "hello", targets: ["Hello"]),
        .executable(name: "friendfeed", targets: ["FriendFeed"]),
        .executable(name: "chat", targets: ["Chat"]),
        .executable(name: "blog", targets: ["Blog"]),
        .executable(name: "gale-autoreload", targets: ["GaleAutoreloadTool"]),
    ],
    traits: [
        // libfcgi (Debian's libfcgi-dev) for `FastCGIServer`, the `fastcgi` subcommand and
        // `TestMode.fastCGI`. On by default; an app that depends on Gale with `traits: []` builds
        // without libfcgi-dev and keeps the async server, CGI and `request`.
        .trait(name: "FastCGI", description: "The FastCGI gateway, over libfcgi (libfcgi-dev)."),
        .default(enabledTraits: ["FastCGI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        // zlib for permessage-deflate: swift-websocket's own dependency, named for its errors.
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        // The tests' tracer propagates W3C trace context, as an OpenTelemetry tracer does.
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context", from: "1.0.0"),
        // Examples/Blog only, Tornado's blog demo: SQLite (libsqlite3-dev) and Markdown.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        .target(
            name: "GaleTemplate",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Gale",
            dependencies: [
                "GaleTemplate",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GaleServer",
            dependencies: [
                "Gale",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "WSCompression", package: "swift-websocket"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The clients, apart from the server: async-http-client and the WebSocket client, which an
        // app that only serves should not load (hello: 21.7 MiB resident with them linked, 19.4
        // without). Since the server speaks TLS it links swift-nio-ssl (BoringSSL) itself: hello
        // measured 21.3 MiB resident in release with it, serving plain HTTP.
        .target(
            name: "GaleClient",
            dependencies: [
                "Gale", "GaleServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "WSCompression", package: "swift-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CFastCGI",
            path: "Sources/CFastCGI/include",
            providers: [.apt(["libfcgi-dev"])]
        ),
        .target(
            name: "GaleFastCGI",
            dependencies: [
                "Gale",
                .target(name: "CFastCGI", condition: .when(traits: ["FastCGI"])),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GaleTesting",
            dependencies: [
                "Gale",
                "GaleServer",
                "GaleFastCGI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Instruments for `Settings.instruments`, apart from the core, which imports neither.
        .target(
            name: "GaleMetrics",
            dependencies: [
                "Gale",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GaleTracing",
            dependencies: ["Gale", .product(name: "Tracing", package: "swift-distributed-tracing")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GaleAutoreload",
            dependencies: ["Gale", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GaleAutoreloadTool",
            dependencies: [
                "GaleAutoreload", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GaleCommand",
            dependencies: [
                "Gale",
                "GaleServer",
                "GaleFastCGI",
                "GaleAutoreload",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Hello",
            dependencies: [
                "Gale", "GaleServer", "GaleCommand", "GaleMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Examples/Hello",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FriendFeed",
            dependencies: [
                "Gale", "GaleServer", "GaleCommand", "GaleMetrics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Examples/FriendFeed",
            exclude: ["static", "templates", "translations", "README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Chat",
            dependencies: ["Gale", "GaleServer", "GaleCommand", .product(name: "Logging", package: "swift-log")],
            path: "Examples/Chat",
            exclude: ["static", "templates", "README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Blog",
            dependencies: [
                "Gale", "GaleServer", "GaleCommand",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Examples/Blog",
            exclude: ["README.md"],
            // Beside the executable as Gale_Blog.resources (AppResources).
            resources: [.copy("templates"), .copy("static")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GaleTestServer",
            dependencies: [
                "Gale", "GaleServer", "GaleCommand", "GaleAutoreload",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/GaleTestServer",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GaleTests",
            dependencies: ["Gale", "GaleTesting", .product(name: "Logging", package: "swift-log")],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GaleTemplateTests",
            dependencies: ["GaleTemplate", "GaleTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GaleServerTests",
            dependencies: [
                "Gale", "GaleServer", "GaleClient", "GaleTesting", "GaleCommand", "GaleFastCGI", "Blog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "GaleMetrics", "GaleTracing",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// `make docs` only (GALE_DOCS=1): DocC's plugin stays out of every other build, and out of the
// packages that depend on Gale.
if Context.environment["GALE_DOCS"] == "1" {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
