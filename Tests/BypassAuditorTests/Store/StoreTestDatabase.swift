import Foundation
import GRDB
import Testing

@testable import Store

/// A fresh database file in a temporary folder, for the Store record tests.
enum StoreTestDatabase {
    static func make() throws -> AuditDatabase {
        try AuditDatabase(path: TestPaths.temporaryDirectory().appendingPathComponent("db.sqlite").path)
    }

    /// A whole second, so it survives `UTCTimestamp`'s text unchanged.
    static func time(_ seconds: Int) -> Date { Date(timeIntervalSince1970: 1_790_000_000 + Double(seconds)) }

    /// Runs `body`, which must throw `StoreError.undecodableRow` for `column` of `table`.
    static func expectUndecodable(
        table: String, column: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        let error = #expect(throws: StoreError.self, sourceLocation: sourceLocation) { try body() }
        guard case .undecodableRow(let errorTable, _, let errorColumn, _)? = error else {
            Issue.record("expected undecodableRow, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(errorTable == table && errorColumn == column, sourceLocation: sourceLocation)
    }

    /// How many ledger entries of `kind` were appended.
    static func ledgerEntries(_ db: Database, kind: Ledger.Kind) throws -> Int {
        try #require(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger WHERE kind = ?", arguments: [kind.rawValue]))
    }
}
