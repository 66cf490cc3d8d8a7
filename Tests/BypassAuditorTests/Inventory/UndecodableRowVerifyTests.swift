import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Inventory
@testable import Policy
@testable import Store

/// A chained row edited outside the tool into a value no version of the tool writes (a time that does not parse, an
/// action it does not know) no longer decodes: `verify` names that row as edited, and still checks every other row.
@Suite("verify names rows that no longer decode")
struct UndecodableRowVerifyTests {
    typealias Chain = ChainVerifierTests

    /// The filled database with snapshot 1 re-dated through the tool: a chained `snapshot_correction` row.
    static func correctedDatabase() throws -> AuditDatabase {
        let database = try Chain.filledDatabase()
        _ = try SnapshotCorrector.redate(
            snapshotID: 1, takenAt: InventoryTestSupport.time("2026-01-14T00:00:00Z"), reason: "the job ran a day early",
            by: "auditor@contoso.com", in: database)
        #expect(try Chain.verify(database).ok)
        return database
    }

    @Test("a snapshot whose taking time does not parse, and a correction whose action is unknown, are each named")
    func undecodableSnapshotAndCorrection() throws {
        let database = try Self.correctedDatabase()
        try Chain.tamper(database, "UPDATE snapshot SET taken_at = 'yesterday' WHERE id = 1")
        try Chain.tamper(database, "UPDATE snapshot_correction SET action = 'undo' WHERE id = 1")
        // A row of the same tables edited to a value that still decodes is found as before.
        try Chain.tamper(database, "UPDATE snapshot_row SET bypass_enabled = 0 WHERE snapshot_id = 1 AND row = 1")

        let report = try Chain.verify(database)
        #expect(!report.ok)
        let found = report.problems.map { [$0.kind.rawValue, $0.table ?? "", $0.ref ?? ""] }
        #expect(
            Set(found) == [
                ["row-edited", "snapshot", "1:0"], ["row-edited", "snapshot_row", "1:1"],
                ["row-edited", "snapshot_correction", "1"],
            ], "\(report.problems)")
        let header = try #require(report.problems.first { $0.table == "snapshot" })
        #expect(header.detail.contains("taken_at") && header.detail.contains("yesterday"), "\(header.detail)")
        let correction = try #require(report.problems.first { $0.table == "snapshot_correction" })
        #expect(correction.detail.contains("action") && correction.detail.contains("undo"), "\(correction.detail)")
        #expect(correction.seq != nil, "tied to the correction's chain entry")
    }

    @Test("an undecodable row no entry chains is an inserted row, as any other")
    func undecodableInsertedRow() throws {
        let database = try Self.correctedDatabase()
        try Chain.tamper(
            database,
            """
            INSERT INTO snapshot_correction (snapshot_id, tenant, action, at, by, reason, taken_at_before, file_name,
                                             sha256, rows)
            VALUES (1, 'x', 'undo', 'now', 'mallory', 'forged', 'then', 'x.csv', 'abc', 0)
            """)
        let report = try Chain.verify(database)
        #expect(report.problems.map(\.kind) == [.rowInserted])
        #expect(report.problems.first?.table == "snapshot_correction" && report.problems.first?.ref == "2")
    }

    @Test("a register edit whose time or action does not decode is named, the other edits still checked")
    func undecodableRegisterEdit() throws {
        let database = try Chain.filledDatabase()
        try database.write { db in
            for (entry, action) in [("AB-0001", AllowlistEdit.Action.add), ("AB-0002", .renew)] {
                let edit = AllowlistEdit(
                    at: InventoryTestSupport.time("2026-05-01T10:00:00Z"), by: "ciso@contoso.com", action: action,
                    entryID: entry, reason: nil, summary: "expires_on 2027-05-01")
                _ = try AllowlistHistory.appendEdit(db, edit)
            }
        }
        #expect(try Chain.verify(database).ok)
        try Chain.tamper(database, "UPDATE allowlist_edit SET action = 'grant' WHERE id = 1")
        try Chain.tamper(database, "UPDATE allowlist_edit SET summary = 'expires_on 2099-01-01' WHERE id = 2")
        let report = try Chain.verify(database)
        #expect(report.problems.map(\.kind) == [.rowEdited, .rowEdited])
        #expect(report.problems.map(\.ref) == ["1", "2"])
        #expect(report.problems.first?.detail.contains("grant") == true, "\(report.problems)")
    }
}
