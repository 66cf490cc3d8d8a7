// swift-tools-version: 6.1
// libFuzzer targets over the BypassAuditor library. A package of its own so that the main build never needs
// libFuzzer: build and run with `scripts/fuzz.sh TARGET SECONDS` (it passes `--sanitize=fuzzer --sanitize=address`).
import PackageDescription

let harnesses = ["fuzz-records", "fuzz-kql", "fuzz-register", "fuzz-snapshot"]

let package = Package(
    name: "bypass-auditor-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "bypass-auditor", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
    ]
        + harnesses.map { name in
            .executableTarget(
                name: name,
                dependencies: ["FuzzSupport", .product(name: "BypassAuditor", package: "bypass-auditor")]
            )
        },
    swiftLanguageModes: [.v6]
)
