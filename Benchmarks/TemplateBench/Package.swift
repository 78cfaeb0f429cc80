// swift-tools-version: 6.1
// template-bench: renders Benchmarks/templates/table.html (a 100-row table extending base.html)
// with Gale's template engine for a fixed time; Benchmarks/template.sh sets it against Tornado 6
// (Benchmarks/template-bench.py). blog-bench renders Benchmarks/templates/blog.html (a blog page
// using the template helpers; Benchmarks/blog.sh against blog-bench.py), and helper-bench times
// each helper alone (Benchmarks/helpers.sh against helpers-bench.py). Its own package, so Gale's
// manifest stays untouched.
import PackageDescription

let package = Package(
    name: "TemplateBench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "template-bench", targets: ["TemplateBench"]),
        .executable(name: "blog-bench", targets: ["BlogBench"]),
        .executable(name: "helper-bench", targets: ["HelperBench"]),
    ],
    dependencies: [
        // GaleTemplate is not a product of its own; `Gale` re-exports it (`@_exported import`).
        .package(name: "Gale", path: "../.."),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "TemplateBench",
            dependencies: [
                .product(name: "Gale", package: "Gale"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "BlogBench",
            dependencies: [
                .product(name: "Gale", package: "Gale"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "HelperBench",
            dependencies: [.product(name: "Gale", package: "Gale")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
