import Foundation
import Testing

import BypassAuditor
@testable import Detection

/// The rules built into the binary are Policies/rules, byte for byte (run `make rules` after editing a rule).
@Suite("Bundled rules")
struct BundledRulesTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("Policies/rules")

    @Test("the embedded copy equals Policies/rules byte for byte, file for file")
    func embeddedCopyEqualsTheFolder() throws {
        let names = try FileManager.default.subpathsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".toml") && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }.sorted()
        #expect(BundledRules.files.map(\.name) == names, "run `make rules`")
        for file in BundledRules.files {
            let onDisk = try Data(contentsOf: Self.folder.appendingPathComponent(file.name))
            #expect(Data(file.text.utf8) == onDisk, "\(file.name) differs from its bundled copy: run `make rules`")
        }
    }

    @Test("the bundled set loads every rule with the digest the folder gives")
    func sameDigestAsTheFolder() throws {
        let bundled = BundledRules.ruleSet()
        let folder = try RuleSet.load(from: Self.folder.path)
        #expect(bundled.errors.isEmpty)
        #expect(bundled.rules.count == folder.rules.count)
        #expect(bundled.rules.count >= 6)
        #expect(bundled.digest == folder.digest)
        #expect(bundled.fileDigests == folder.fileDigests)
    }

    @Test("a --rules path that does not exist throws instead of narrowing")
    func missingPathThrows() {
        #expect(throws: RuleLoadError.self) { try RuleSource.path("/nonexistent/rules-\(UUID())").load() }
        #expect(RuleSource(option: nil) == .bundled)
    }
}
