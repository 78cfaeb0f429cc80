// swift-tools-version: 6.1
// vapor-peer: Vapor 4's side of Benchmarks/bench-peers.sh, serving the same routes as every
// other peer (Benchmarks/peers/README.md): hello, a JSON object, the 100-row table page through
// Leaf, static files and a 404. Its own package, so Gale's manifest stays untouched.
import PackageDescription

let package = Package(
    name: "VaporPeer",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vapor-peer", targets: ["VaporPeer"])
    ],
    dependencies: [
        .package(path: "../PeerData"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/vapor/leaf", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "VaporPeer",
            dependencies: [
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "PeerData", package: "PeerData"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
