// swift-tools-version: 6.1
// template-diff: the Gale side of the differential fuzz of GaleTemplate against Tornado 6
// (README.md here; `make fuzz-templates`). It reads cases as JSON lines on stdin and prints one
// JSON line of output or error class for each, so thousands of cases run in one process. Its
// own package, so Gale's manifest stays untouched.
import PackageDescription

let package = Package(
    name: "TemplateDiff",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "template-diff", targets: ["TemplateDiff"])],
    dependencies: [
        // GaleTemplate is not a product of its own; `Gale` re-exports it (`@_exported import`).
        .package(name: "Gale", path: "../../..")
    ],
    targets: [
        .executableTarget(
            name: "TemplateDiff",
            dependencies: [.product(name: "Gale", package: "Gale")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
