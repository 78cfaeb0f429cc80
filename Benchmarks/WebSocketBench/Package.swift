// swift-tools-version: 6.1
// The WebSocket benchmark's programs; Benchmarks/websocket.sh runs them against each other and
// against Tornado 6 (Benchmarks/websocket-echo.py). Its own package, so Gale's manifest stays
// untouched.
//   gale-ws-echo  Gale's echo server (WebSocketHandler), plus the broadcast of the idle test
//   hb-ws-echo    the same echo server with Hummingbird 2 and HummingbirdWebSocket
//   ws-load       the load client, on swift-websocket's WSClient: echo round trips, and the idle
//                 connections with their broadcast
import PackageDescription

let package = Package(
    name: "WebSocketBench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gale-ws-echo", targets: ["GaleWSEcho"]),
        .executable(name: "hb-ws-echo", targets: ["HBWSEcho"]),
        .executable(name: "ws-load", targets: ["WSLoad"]),
    ],
    dependencies: [
        .package(name: "Gale", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        // The same pin as Gale's own manifest (Gale uses WSCore's SPI).
        .package(url: "https://github.com/hummingbird-project/swift-websocket", exact: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "GaleWSEcho",
            dependencies: [
                .product(name: "Gale", package: "Gale"),
                .product(name: "GaleServer", package: "Gale"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "HBWSEcho",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "WSLoad",
            dependencies: [
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
