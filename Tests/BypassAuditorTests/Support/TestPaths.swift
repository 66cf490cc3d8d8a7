import Foundation

/// Where the tests' own fixtures and the shared external fixtures live.
enum TestPaths {
    /// `Tests/BypassAuditorTests/Fixtures`, read from the source tree.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let packageRoot = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures/external` beside the checkout, when present (CI lays it there).
    static var externalFixtures: URL? {
        let candidates = [
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/external"),
            URL(fileURLWithPath: "/work/shared/fixtures/external"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static func fixture(_ relative: String) -> URL { fixtures.appendingPathComponent(relative) }

    /// A fresh temporary folder for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bypass-auditor-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
