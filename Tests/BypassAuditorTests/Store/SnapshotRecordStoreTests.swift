import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Store

@Suite("Store: snapshots, their rows and corrections")
struct SnapshotRecordStoreTests {
    static let tenant = TenantID("tenant-a")

    static func database() throws -> AuditDatabase { try StoreTestSupport.database() }

    static func time(_ text: String) -> Date { StoreTestSupport.time(text) }

    static func snapshot(sha256: String = "aa", tenant: TenantID = tenant, takenAt: String = "2026-10-01T00:00:00.000Z")
        -> SnapshotRecord
    {
        SnapshotRecord(
            tenant: tenant, takenAt: time(takenAt), takenAtGiven: true,
            importedAt: time("2026-10-02T08:00:00.000Z"), fileName: "bypass.csv", sha256: sha256, format: "csv",
            rows: 3, complete: true, completeGiven: false)
    }

    static func row(_ number: Int, name: String?, bypass: Bool?) -> SnapshotRowRecord {
        SnapshotRowRecord(
            snapshotID: 0, row: number, line: number + 1, name: name, identity: nil, distinguishedName: nil,
            guid: nil, exchangeObjectID: nil, organizationID: "tenant-a",
            auditBypassEnabled: bypass.map { $0 ? "True" : "False" }, bypassEnabled: bypass)
    }

    @Test("an import is stored and chained row by row, and reads back with its counts")
    func insertChainsAndReadsBack() throws {
        let database = try Self.database()
        let rows = [
            Self.row(1, name: "svc-backup", bypass: true), Self.row(2, name: "svc\u{0}hidden", bypass: false),
            Self.row(3, name: "svc-odd", bypass: nil),
        ]
        let stored = try database.write { db in try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(), rows: rows) }
        #expect(stored.id > 0)

        let header = try #require(try database.read { db in try SnapshotRecordStore.header(db, sha256: "aa") })
        #expect(header.snapshot == stored)
        #expect(header.bypassedRows == 1 && header.notBypassedRows == 1 && header.indeterminateRows == 1)
        #expect(try database.read { db in try SnapshotRecordStore.header(db, id: stored.id) } == header)

        let read = try database.read { db in try SnapshotRecordStore.rows(db, tenant: Self.tenant) }
        #expect(read.map(\.row) == [1, 2, 3] && read.allSatisfy { $0.snapshotID == stored.id })
        #expect(read[1].name == "svc\u{0}hidden", "export-written text keeps a NUL")
        #expect(try database.read { db in try SnapshotRecordStore.allRows(db) } == read)

        let chained = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT ref, content FROM ledger WHERE kind = 'snapshot-row' ORDER BY seq")
        }
        #expect(chained.map { $0["ref"] as String } == ["\(stored.id):0", "\(stored.id):1", "\(stored.id):2", "\(stored.id):3"])
        #expect((chained[0]["content"] as String) == (try SnapshotHeaderLedgerContent(stored).canonicalJSON()))
        #expect((chained[2]["content"] as String) == (try SnapshotRowLedgerContent(read[1]).canonicalJSON()))
    }

    @Test("a row's chained content is the JSON entries were always written with (the Inventory row's)")
    func rowLedgerContentMatchesTheInventoryRow() throws {
        var row = SnapshotRow(
            row: 4, line: 9, name: "Svc Backup", identity: "svc-backup", guid: "6f1c2d3e-0000-4000-8000-000000000001",
            organizationId: "tenant-a", auditBypassEnabled: "True")
        row.bypassEnabled = true
        struct Written: Encodable {
            var snapshotId: Int64
            var row: SnapshotRow
        }
        let record = SnapshotRowRecord(
            snapshotID: 7, row: 4, line: 9, name: "Svc Backup", identity: "svc-backup", distinguishedName: nil,
            guid: "6f1c2d3e-0000-4000-8000-000000000001", exchangeObjectID: nil, organizationID: "tenant-a",
            auditBypassEnabled: "True", bypassEnabled: true)
        #expect(try SnapshotRowLedgerContent(record).canonicalJSON() == JSONCoding.string(Written(snapshotId: 7, row: row), pretty: false))
    }

    @Test func tenantsAreListedOnceInOrder() throws {
        let database = try Self.database()
        try database.write { db in
            _ = try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(sha256: "1", tenant: TenantID("b")), rows: [])
            _ = try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(sha256: "2", tenant: TenantID("a")), rows: [])
            _ = try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(sha256: "3", tenant: TenantID("b")), rows: [])
        }
        #expect(try database.read { db in try SnapshotRecordStore.tenants(db) } == [TenantID("a"), TenantID("b")])
        let all = try database.read { db in try SnapshotRecordStore.headers(db, tenant: nil) }
        #expect(all.map(\.snapshot.sha256) == ["1", "2", "3"], "by taking time, then id")
        #expect(try database.read { db in try SnapshotRecordStore.headers(db, tenant: TenantID("a")) }.map(\.snapshot.sha256) == ["2"])
    }

    @Test("removing deletes the snapshot and its rows; re-dating sets the time as given")
    func deleteAndRedate() throws {
        let database = try Self.database()
        let (kept, removed) = try database.write { db in
            (
                try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(sha256: "k"), rows: [Self.row(1, name: "a", bypass: true)]),
                try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(sha256: "r"), rows: [Self.row(1, name: "b", bypass: true)])
            )
        }
        let newTime = Self.time("2026-09-15T12:00:00.000Z")
        try database.write { db in
            try SnapshotRecordStore.delete(db, snapshotID: removed.id)
            try SnapshotRecordStore.redate(db, snapshotID: kept.id, takenAt: newTime)
        }
        let headers = try database.read { db in try SnapshotRecordStore.headers(db, tenant: nil) }
        #expect(headers.map(\.snapshot.id) == [kept.id])
        #expect(headers.first?.snapshot.takenAt == newTime && headers.first?.snapshot.takenAtGiven == true)
        #expect(try database.read { db in try SnapshotRecordStore.allRows(db) }.map(\.snapshotID) == [kept.id])
    }

    @Test("a taking time that does not parse is an error naming table, row and column, not 1970")
    func unreadableTimeIsAStoreError() throws {
        let database = try Self.database()
        let stored = try database.write { db in try SnapshotRecordStore.insert(db, snapshot: Self.snapshot(), rows: []) }
        try database.write { db in try db.execute(sql: "UPDATE snapshot SET taken_at = 'yesterday'") }
        StoreTestSupport.expectUndecodable(table: "snapshot", row: String(stored.id), column: "taken_at") {
            _ = try database.read { db in try SnapshotRecordStore.headers(db, tenant: nil) }
        }
    }

    @Test("corrections are logged, chained, listed per tenant, and an unknown action is an error")
    func corrections() throws {
        let database = try Self.database()
        let at = Self.time("2026-10-03T09:00:00.000Z")
        func correction(_ tenant: String, _ action: SnapshotCorrection.Action) -> SnapshotCorrection {
            SnapshotCorrection(
                snapshotID: 5, tenant: TenantID(tenant), action: action, at: at, by: "admin", reason: "wrong file",
                takenAtBefore: Self.time("2026-10-01T00:00:00.000Z"),
                takenAtAfter: action == .redate ? Self.time("2026-09-30T00:00:00.000Z") : nil, fileName: "x.csv",
                sha256: "bb", rows: 2)
        }
        let (first, second) = try database.write { db in
            (
                try SnapshotCorrectionStore.append(db, correction("tenant-a", .remove)),
                try SnapshotCorrectionStore.append(db, correction("tenant-b", .redate))
            )
        }
        #expect(first.id > 0 && second.id > first.id)
        #expect(try database.read { db in try SnapshotCorrectionStore.corrections(db, tenant: nil) } == [first, second])
        #expect(try database.read { db in try SnapshotCorrectionStore.corrections(db, tenant: TenantID("tenant-b")) } == [second])
        let chained = try database.read { db in
            try String.fetchAll(db, sql: "SELECT content FROM ledger WHERE kind = 'snapshot-correction' ORDER BY seq")
        }
        #expect(chained == [try first.canonicalJSON(), try second.canonicalJSON()])

        try database.write { db in try db.execute(sql: "UPDATE snapshot_correction SET action = 'undo' WHERE id = ?", arguments: [second.id]) }
        StoreTestSupport.expectUndecodable(table: "snapshot_correction", row: String(second.id), column: "action") {
            _ = try database.read { db in try SnapshotCorrectionStore.corrections(db, tenant: nil) }
        }
    }
}
