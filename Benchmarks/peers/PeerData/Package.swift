// swift-tools-version: 6.1
// PeerData: what the Swift peers of Benchmarks/bench-peers.sh build per request, defined once:
// the JSON order and the rows of the table page (Benchmarks/peers/README.md). Plain Swift with
// no dependency, so Gale, Hummingbird and Vapor pay the same for it; Benchmarks/peers/tornado/
// peer.py builds the same values in Python.
import PackageDescription

let package = Package(
    name: "PeerData",
    products: [
        .library(name: "PeerData", targets: ["PeerData"])
    ],
    targets: [
        .target(name: "PeerData", swiftSettings: [.swiftLanguageMode(.v6)])
    ]
)
