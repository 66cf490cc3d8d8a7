// swift-tools-version: 6.1
import PackageDescription

let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")

let package = Package(
    name: "bypass-auditor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bypass-auditor", targets: ["bypass-auditor"]),
        .library(name: "BypassAuditor", targets: ["BypassAuditor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Certificate-based sign-in to the Management Activity API: PEM parsing and the certificate thumbprint.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Glibc hides memmem and mallopt, and Swift has no zlib binding: this shim exposes them (see CSupport.h).
        .target(
            name: "CSupport",
            linkerSettings: [.linkedLibrary("z")]
        ),
        // The stages, one target each, so the compiler holds the walls between them: a stage sees only the stages
        // it lists. Store is the only target that writes SQL for the event, coverage and ledger tables.
        .target(name: "Core", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Reading", dependencies: ["Core", "CSupport"]),
        // Store also reads a few long queries straight from SQLite (`StatementColumns`), through GRDB's own module.
        .target(
            name: "Store",
            dependencies: [
                "Core", grdb, .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "Ingest", dependencies: ["Core", "Reading", "Store", grdb]),
        .target(
            name: "Detection",
            dependencies: ["Core", "Reading", "Store", "Ingest", grdb, .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "Policy",
            dependencies: ["Core", "Store", grdb, .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "Inventory", dependencies: ["Core", "Store", "Policy", grdb]),
        .target(name: "Drift", dependencies: ["Core", "Store", "Detection", "Inventory", "Policy", grdb]),
        .target(
            name: "Reporting",
            dependencies: [
                "Core", "Store", "Detection", "Drift", "Inventory", "Policy", grdb,
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Remote sources and sinks (Elasticsearch, the Management Activity API) speak HTTPS through these.
        .target(
            name: "Remote",
            dependencies: [
                "Core", "Reading", "Store", "Ingest", "Detection", grdb,
                .product(name: "Crypto", package: "swift-crypto"),
                // RS256 client assertions for the Management Activity API (RSA PKCS#1 v1.5 signing).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The application layer: the use cases a command calls (and watch mode); re-exports every stage, so the
        // executable and the tests import one module.
        .target(
            name: "BypassAuditor",
            dependencies: [
                "Core", "Reading", "Store", "Ingest", "Detection", "Policy", "Inventory", "Drift", "Reporting", "Remote",
                "CSupport", .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "bypass-auditor",
            dependencies: [
                "BypassAuditor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bypass-auditor-bench",
            dependencies: ["BypassAuditor"],
            path: "Benchmarks/bypass-auditor-bench"
        ),
        // What more than one test target needs: loopback servers for the network sources, shared factories.
        .target(
            name: "TestSupport",
            dependencies: [
                "BypassAuditor",
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "BypassAuditorTests",
            dependencies: ["BypassAuditor", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["BypassAuditor", "bypass-auditor", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
