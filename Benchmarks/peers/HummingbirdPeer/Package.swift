// swift-tools-version: 6.1
// hb-peer: Hummingbird 2's side of Benchmarks/bench-peers.sh, serving the same routes as every
// other peer (Benchmarks/peers/README.md): hello, a JSON object, the 100-row table page through
// swift-mustache, static files and a 404. Its own package, so Gale's manifest stays untouched.
import PackageDescription

let package = Package(
    name: "HummingbirdPeer",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hb-peer", targets: ["HummingbirdPeer"])
    ],
    dependencies: [
        .package(path: "../PeerData"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdPeer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "PeerData", package: "PeerData"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
