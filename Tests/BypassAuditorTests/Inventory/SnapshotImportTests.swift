import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Inventory

@Suite("Snapshot import and reconciliation")
struct SnapshotImportTests {
    typealias Support = InventoryTestSupport

    static let backupGUID = "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"

    @Test("a full export is complete; its rows are dated facts; it is reconciled with the logs")
    func fullExportReconciled() throws {
        let database = try Support.database()
        try Support.store(
            [
                // Explained: enabled before the snapshot, which shows it bypassed.
                Support.bypassEvent(id: "veeam-on", at: "2026-01-05T00:00:00Z", identity: "svc-backup"),
                // Mismatch: the logs say enabled, the snapshot says not.
                Support.bypassEvent(id: "alice-on", at: "2026-01-06T00:00:00Z", identity: "alice"),
                // Mismatch by absence: the logs say enabled, the complete snapshot leaves it out.
                Support.bypassEvent(id: "ghost-on", at: "2026-01-07T00:00:00Z", identity: "svc-ghost"),
            ], in: database)
        let data = try Data(contentsOf: TestPaths.fixture("Inventory/windows-powershell-export.csv"))
        let result = try database.write { db in
            try SnapshotImporter.importData(
                data, fileName: "windows-powershell-export.csv", db,
                options: .init(takenAt: Support.time("2026-01-15T12:00:00Z"), tenant: Support.tenant, complete: true))
        }
        #expect(!result.alreadyImported)
        #expect(result.snapshot.complete && result.snapshot.completeGiven)
        #expect(!result.possiblyFiltered)
        #expect(result.tenantSource == .given)
        #expect(result.snapshot.takenAtGiven)
        #expect(result.snapshot.rows == 5)
        #expect(result.snapshot.bypassedRows == 2 && result.snapshot.notBypassedRows == 2)
        #expect(result.snapshot.indeterminateRows == 1)
        #expect(result.indeterminate.map(\.line) == [7])
        #expect(result.indeterminate.first?.reason.contains("broken-state") == true)

        let kinds = result.discrepancies.map { "\($0.kind.rawValue) \($0.accountName)" }.sorted()
        #expect(kinds == ["mismatch alice", "mismatch svc-ghost", "unexplained svc-ediscovery"])
        let alice = try #require(result.discrepancies.first { $0.accountName == "alice" })
        #expect(alice.snapshotState == false && alice.logState == true && alice.eventIDs == ["alice-on"])
        let ghost = try #require(result.discrepancies.first { $0.accountName == "svc-ghost" })
        #expect(ghost.detail.contains("absent from complete snapshot"))

        // After the snapshot, its facts stand: alice and svc-ghost are not bypassed, svc-ediscovery is.
        let view = try Support.view(database, asOf: "2026-01-20")
        // svc-ghost's absence disputes its logged bypass but does not end it; alice's False row does end hers.
        #expect(Set(view.bypassedAccounts.map(\.displayName)) == ["svc-backup", "svc-ediscovery", "svc-ghost"])
        #expect(view.only("svc-ghost")?.disputedBy == [result.snapshot.id])
        let backup = try #require(view.only("svc-backup"))
        #expect(backup.source == .both)
        #expect(backup.since == Support.time("2026-01-05T00:00:00Z"))
        #expect(backup.setBy == "exo-admin@contoso.com")
        #expect(backup.guid == Self.backupGUID)
        #expect(backup.exchangeName == "svc-backup")
        let ediscovery = try #require(view.only("svc-ediscovery"))
        #expect(ediscovery.source == .snapshot)
        #expect(ediscovery.since == Support.time("2026-01-15T12:00:00Z"))
        #expect(ediscovery.setBy == nil)
        let ghostAccount = try #require(view.only("svc-ghost"))
        #expect(ghostAccount.snapshotObservations.map(\.absent) == [true])
        #expect(view.discrepancies.filter { $0.kind == .indeterminateRow }.map(\.accountName) == ["broken-state"])

        // Before the snapshot was taken it asserts nothing.
        let before = try Support.view(database, asOf: "2026-01-10")
        #expect(Set(before.bypassedAccounts.map(\.displayName)) == ["svc-backup", "alice", "svc-ghost"])
        #expect(before.discrepancies.isEmpty && before.snapshots.isEmpty)
        #expect(before.accounts(named: AccountName("svc-ediscovery")).isEmpty)
    }

    @Test("an export with no False row may be filtered: absence proves nothing unless --complete")
    func filteredExport() throws {
        let database = try Support.database()
        try Support.store(
            [Support.bypassEvent(id: "ghost-on", at: "2026-01-07T00:00:00Z", identity: "svc-ghost")], in: database)
        let filtered = Support.csv([("svc-backup", Self.backupGUID, "True")])
        let result = try Support.importSnapshot(filtered, into: database, takenAt: "2026-01-15T00:00:00Z")
        #expect(result.possiblyFiltered && !result.snapshot.complete)
        #expect(result.discrepancies.map(\.kind) == [.unexplained])
        #expect(try Support.view(database).only("svc-ghost")?.bypassEnabled == true)

        let other = try Support.database()
        try Support.store(
            [Support.bypassEvent(id: "ghost-on", at: "2026-01-07T00:00:00Z", identity: "svc-ghost")], in: other)
        let declared = try Support.importSnapshot(
            filtered, into: other, takenAt: "2026-01-15T00:00:00Z", complete: true)
        #expect(declared.snapshot.complete && declared.snapshot.completeGiven)
        #expect(declared.discrepancies.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.mismatch, .unexplained])
        // Absence from a complete snapshot disputes the logged bypass; it never turns it off.
        #expect(try Support.view(other).only("svc-ghost")?.bypassEnabled == true)
        #expect(try Support.view(other).only("svc-ghost")?.disputedBy == [declared.snapshot.id])
    }

    @Test("a later event overrides a snapshot, and re-enabling after a snapshot showed it off counts as re-enabled")
    func eventsAfterSnapshot() throws {
        let database = try Support.database()
        try Support.store(
            [Support.bypassEvent(id: "on", at: "2026-01-01T00:00:00Z", identity: "svc-backup")], in: database)
        try Support.importSnapshot(
            Support.csv([("svc-backup", Self.backupGUID, "False")]), into: database, takenAt: "2026-02-01T00:00:00Z")
        try Support.store(
            [Support.bypassEvent(id: "on-again", at: "2026-03-01T00:00:00Z", identity: Self.backupGUID)], in: database)
        let view = try Support.view(database)
        let account = try #require(view.only("svc-backup"))
        #expect(account.changes.map(\.kind) == [.enabled, .reenabled])
        #expect(account.bypassEnabled)
        #expect(account.source == .events)
        #expect(account.since == Support.time("2026-03-01T00:00:00Z"))
        #expect(view.discrepancies.map(\.kind) == [.mismatch])
    }

    @Test("importing the same file twice stores it once")
    func duplicateImport() throws {
        let database = try Support.database()
        let text = Support.csv([("svc-backup", Self.backupGUID, "True"), ("alice", nil, "False")])
        let first = try Support.importSnapshot(text, into: database, takenAt: "2026-01-15T00:00:00Z")
        let second = try Support.importSnapshot(text, into: database, takenAt: "2026-02-15T00:00:00Z", fileName: "copy.csv")
        #expect(!first.alreadyImported && second.alreadyImported)
        #expect(second.snapshot.id == first.snapshot.id)
        #expect(second.snapshot.takenAt == Support.time("2026-01-15T00:00:00Z"))
        let (snapshots, rows, entries, refs) = try database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot_row"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger WHERE kind = 'snapshot-row'"),
                try String.fetchAll(db, sql: "SELECT ref FROM ledger ORDER BY seq")
            )
        }
        #expect(snapshots == 1 && rows == 2)
        // One entry for the snapshot itself and one per row.
        #expect(entries == 3)
        let id = first.snapshot.id
        #expect(refs == ["\(id):0", "\(id):1", "\(id):2"])
    }

    @Test("without --taken-at the import time is the snapshot's time, and the result says so")
    func importTime() throws {
        let database = try Support.database()
        let now = Support.time("2026-05-05T05:05:05.555Z")
        let result = try Support.importSnapshot(
            Support.csv([("svc-backup", nil, "True")]), into: database, now: now)
        #expect(result.snapshot.takenAt == now)
        #expect(!result.snapshot.takenAtGiven)
        #expect(throws: SnapshotImporter.ImportError.self) {
            try Support.importSnapshot(
                Support.csv([("svc-x", nil, "True")]), into: database, takenAt: "2026-06-01T00:00:00Z", now: now)
        }
    }

    @Test("the tenant comes from --tenant, the rows' OrganizationId, or the only tenant; never mixed")
    func tenantChoice() throws {
        let database = try Support.database()
        let powershell7 = try String(
            contentsOf: TestPaths.fixture("Inventory/powershell7-filtered.csv"), encoding: .utf8)
        let fromRows = try Support.importSnapshot(powershell7, into: database, tenant: nil)
        #expect(fromRows.tenantSource == .rows && fromRows.snapshot.tenant == Support.tenant)
        #expect(throws: SnapshotImporter.ImportError.self) {
            try Support.importSnapshot(powershell7 + "\n", into: database, tenant: Support.otherTenant)
        }
        // No OrganizationId GUID: the database's only tenant is taken.
        let adopted = try Support.importSnapshot(Support.csv([("svc-y", nil, "True")]), into: database, tenant: nil)
        #expect(adopted.tenantSource == .onlyTenantInDatabase && adopted.snapshot.tenant == Support.tenant)
        // An empty database has no tenant to adopt.
        let empty = try Support.database()
        #expect(throws: SnapshotImporter.ImportError.self) {
            try Support.importSnapshot(Support.csv([("svc-y", nil, "True")]), into: empty, tenant: nil)
        }
    }

    @Test("an empty export means nothing unless --complete, where it says no account is bypassed")
    func emptyExport() throws {
        let database = try Support.database()
        try Support.store(
            [Support.bypassEvent(id: "on", at: "2026-01-01T00:00:00Z", identity: "svc-backup")], in: database)
        #expect(throws: SnapshotImporter.ImportError.self) {
            try Support.importSnapshot("", into: database, takenAt: "2026-02-01T00:00:00Z")
        }
        let result = try Support.importSnapshot("", into: database, takenAt: "2026-02-01T00:00:00Z", complete: true)
        #expect(result.snapshot.rows == 0 && result.snapshot.complete)
        #expect(result.discrepancies.map(\.kind) == [.mismatch])
        // It disputes svc-backup's logged bypass; it does not end it.
        #expect(try Support.view(database).bypassedAccounts.map(\.displayName) == ["svc-backup"])
        #expect(try Support.view(database).bypassedAccounts.first?.disputedBy == [result.snapshot.id])
    }

    @Test("a JSON export and its indeterminate row")
    func jsonImport() throws {
        let database = try Support.database()
        let data = try Data(contentsOf: TestPaths.fixture("Inventory/rest-array.json"))
        let result = try database.write { db in
            try SnapshotImporter.importData(
                data, fileName: "rest-array.json", db,
                options: .init(takenAt: Support.time("2026-01-15T00:00:00Z"), tenant: Support.tenant))
        }
        #expect(result.snapshot.format == "json")
        #expect(result.indeterminate.count == 1)
        #expect(result.indeterminate.first?.description == "rest-array.json:27: svc-null: AuditBypassEnabled is missing; the row is kept as indeterminate")
        let view = try Support.view(database)
        let unknown = try #require(view.only("svc-null"))
        #expect(unknown.bypassEnabled == false)
        #expect(unknown.snapshotObservations.map(\.bypassEnabled) == [nil])
        #expect(view.discrepancies.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.indeterminateRow, .unexplained])
    }
}
