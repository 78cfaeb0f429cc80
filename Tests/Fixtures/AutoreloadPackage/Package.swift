// swift-tools-version: 6.1
// A package of its own for the gale-autoreload tests: one small program with no dependencies,
// so a test builds it from nothing in seconds. The tests copy it and edit the copy.
import PackageDescription

let package = Package(
    name: "Site",
    targets: [.executableTarget(name: "Site")]
)
