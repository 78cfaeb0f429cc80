// swift-tools-version: 6.1
// A bare SwiftNIO HTTP/1.1 hello server: the baseline Gale's `hello` is measured against
// (see ../README.md and ../run.sh). Its own package, so Gale's manifest stays untouched.
import PackageDescription

let package = Package(
    name: "BareNIO",
    products: [
        .executable(name: "bare-nio-hello", targets: ["BareNIOHello"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "BareNIOHello",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
