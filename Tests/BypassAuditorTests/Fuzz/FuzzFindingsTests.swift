import Foundation
import Testing

import BypassAuditor
@testable import Detection

/// Replays every input the fuzzers found (`scripts/fuzz.sh`, committed under `Fixtures/Fuzz/<target>/`) through the
/// same property its fuzz target checks, so a fixed crash stays fixed.
@Suite("Fuzz findings stay fixed")
struct FuzzFindingsTests {
    static func inputs(_ target: String) throws -> [(name: String, text: String)] {
        let folder = TestPaths.fixtures.appendingPathComponent("Fuzz/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.sorted().map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            // As the fuzz target decodes its bytes: invalid UTF-8 becomes U+FFFD.
            return (name, String(decoding: data, as: UTF8.self))
        }
    }

    @Test("KQL: a query that parses prints to text that parses back to the same expression")
    func kqlRoundTrip() throws {
        let inputs = try Self.inputs("kql")
        #expect(!inputs.isEmpty, "the committed findings are read")
        for (name, text) in inputs {
            guard let expression = try? KQLParser.parse(text) else { continue }
            let printed = KQLPrinter.print(expression)
            let reparsed = try? KQLParser.parse(printed)
            #expect(reparsed == expression, "\(name): \(printed.debugDescription) from \(text.debugDescription)")
        }
    }
}
