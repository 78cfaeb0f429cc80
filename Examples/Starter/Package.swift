// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Starter",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Gale's checkout, two folders up; `name:` lets the products say `package: "gale"`
        // whatever that folder is called.
        .package(name: "gale", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "Starter",
            dependencies: [
                .product(name: "Gale", package: "gale"),
                .product(name: "GaleCommand", package: "gale"),
            ],
            // Copied beside the executable as Starter_Starter.resources by `swift build`.
            resources: [.copy("templates"), .copy("static")]
        ),
        .testTarget(
            name: "StarterTests",
            dependencies: ["Starter", .product(name: "GaleTesting", package: "gale")]
        ),
    ]
)
