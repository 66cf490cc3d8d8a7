import Foundation
import Testing

import BypassAuditor

/// A fresh, migrated database file in its own temporary folder, and the check every "stored value the tool never
/// writes" test makes.
enum StoreTestSupport {
    static func database() throws -> AuditDatabase {
        try AuditDatabase(path: TestPaths.temporaryDirectory().appendingPathComponent("db.sqlite").path)
    }

    static func time(_ text: String) -> Date { UTCTimestamp.parse(text)! }

    /// Expects `body` to throw `StoreError.undecodableRow` naming `table`, `row` and `column`.
    static func expectUndecodable(
        table: String, row: String, column: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        let error = #expect(throws: StoreError.self, sourceLocation: sourceLocation) { try body() }
        guard case .undecodableRow(let actualTable, let actualRow, let actualColumn, _) = error else {
            Issue.record("expected undecodableRow, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(
            [actualTable, actualRow, actualColumn] == [table, row, column], "\(error.map { "\($0)" } ?? "")",
            sourceLocation: sourceLocation)
    }
}
