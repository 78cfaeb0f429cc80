// swift-tools-version: 6.1
// gale-fuzz: libFuzzer targets for every parser of Gale that faces input (issue 15), in one
// executable; `GALE_FUZZ_TARGET` picks the target (Tests/Fuzz/README.md, `make fuzz`). Its own
// package, so Gale's manifest and `swift build` stay untouched. Build it with
// `swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` (debug: the
// targets use `@testable import` for the internal parsers, which needs `-enable-testing`).
import PackageDescription

let package = Package(
    name: "GaleFuzz",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gale-fuzz", targets: ["GaleFuzz"])
    ],
    dependencies: [
        .package(name: "Gale", path: "../..")
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "GaleFuzz",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "Gale", package: "Gale"),
                .product(name: "GaleFastCGI", package: "Gale"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
