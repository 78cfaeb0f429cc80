// swift-tools-version: 6.1
// gale-peer: Gale's side of Benchmarks/bench-peers.sh, serving the same routes as every other
// peer (Benchmarks/peers/README.md): hello, a JSON object, the 100-row table page through Gale's
// template engine, static files and a 404. Its own package, so Gale's manifest stays untouched.
import PackageDescription

let package = Package(
    name: "GalePeer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gale-peer", targets: ["GalePeer"])
    ],
    dependencies: [
        .package(name: "Gale", path: "../../.."),
        .package(path: "../PeerData"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "GalePeer",
            dependencies: [
                .product(name: "Gale", package: "Gale"),
                .product(name: "GaleCommand", package: "Gale"),
                .product(name: "PeerData", package: "PeerData"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
