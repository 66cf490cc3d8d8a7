import Core
import Store
import Foundation
import GRDB

/// Imported snapshots as the Inventory stage reads and writes them: its `SnapshotSummary` and `SnapshotRow` over
/// the Store's `snapshot` and `snapshot_row` records (`SnapshotRecordStore`), mapped here and nowhere else.
public enum SnapshotStore {
    /// One stored snapshot with its rows.
    public struct StoredSnapshot: Sendable, Hashable {
        public var summary: SnapshotSummary
        public var rows: [SnapshotRow]
    }

    /// The ledger `ref` of one row; row 0 stands for the snapshot itself.
    public static func ledgerRef(snapshotID: Int64, row: Int) -> String {
        SnapshotLedger.ref(snapshotID: snapshotID, row: row)
    }

    /// The snapshot already stored for a file with this content digest, if any.
    public static func snapshot(sha256: String, _ db: Database) throws -> SnapshotSummary? {
        try SnapshotRecordStore.header(db, sha256: sha256).map(SnapshotSummary.init(stored:))
    }

    /// Snapshot `id`, if it is stored.
    static func snapshot(id: Int64, _ db: Database) throws -> SnapshotSummary? {
        try SnapshotRecordStore.header(db, id: id).map(SnapshotSummary.init(stored:))
    }

    /// Stores a snapshot and its rows, appending each row to the ledger, inside the caller's transaction.
    /// `summary.id` is ignored; the stored summary (with its new id) is returned.
    static func insert(_ db: Database, summary: SnapshotSummary, rows: [SnapshotRow]) throws -> SnapshotSummary {
        let record = try SnapshotRecordStore.insert(
            db, snapshot: SnapshotRecord(summary), rows: rows.map { SnapshotRowRecord($0, snapshotID: 0) })
        var stored = summary
        stored.id = record.id
        return stored
    }

    /// Every snapshot of `tenant`, oldest taking time first, with its rows.
    public static func snapshots(_ db: Database, tenant: TenantID) throws -> [StoredSnapshot] {
        let summaries = try SnapshotRecordStore.headers(db, tenant: tenant).map(SnapshotSummary.init(stored:))
        guard !summaries.isEmpty else { return [] }
        var rowsBySnapshot: [Int64: [SnapshotRow]] = [:]
        for row in try SnapshotRecordStore.rows(db, tenant: tenant) {
            rowsBySnapshot[row.snapshotID, default: []].append(SnapshotRow(stored: row))
        }
        return summaries.map { StoredSnapshot(summary: $0, rows: rowsBySnapshot[$0.id] ?? []) }
    }

    /// Tenants with at least one snapshot.
    public static func tenants(_ db: Database) throws -> [TenantID] {
        try SnapshotRecordStore.tenants(db)
    }
}

// The one place the stage's snapshot model and the stored records meet.

extension SnapshotSummary {
    /// The summary of a stored snapshot.
    init(stored header: SnapshotHeader) {
        let snapshot = header.snapshot
        self.init(
            id: snapshot.id, tenant: snapshot.tenant, takenAt: snapshot.takenAt, takenAtGiven: snapshot.takenAtGiven,
            fileName: snapshot.fileName, sha256: snapshot.sha256, rows: snapshot.rows, complete: snapshot.complete,
            completeGiven: snapshot.completeGiven, importedAt: snapshot.importedAt, format: snapshot.format,
            bypassedRows: header.bypassedRows, notBypassedRows: header.notBypassedRows,
            indeterminateRows: header.indeterminateRows)
    }
}

extension SnapshotRecord {
    /// The `snapshot` row for `summary` (inserting it ignores the id: SQLite assigns one).
    init(_ summary: SnapshotSummary) {
        self.init(
            id: summary.id, tenant: summary.tenant, takenAt: summary.takenAt, takenAtGiven: summary.takenAtGiven,
            importedAt: summary.importedAt, fileName: summary.fileName, sha256: summary.sha256, format: summary.format,
            rows: summary.rows, complete: summary.complete, completeGiven: summary.completeGiven)
    }
}

extension SnapshotRow {
    /// The row a `snapshot_row` row holds. Its stored state is what the inventory uses (not the state its cell
    /// would read as now), so it is what the ledger check compares.
    init(stored row: SnapshotRowRecord) {
        self.init(
            row: row.row, line: row.line, name: row.name, identity: row.identity,
            distinguishedName: row.distinguishedName, guid: row.guid, exchangeObjectId: row.exchangeObjectID,
            organizationId: row.organizationID, auditBypassEnabled: row.auditBypassEnabled)
        bypassEnabled = row.bypassEnabled
    }
}

extension SnapshotRowRecord {
    /// The `snapshot_row` row stored for `row` of snapshot `snapshotID`.
    init(_ row: SnapshotRow, snapshotID: Int64) {
        self.init(
            snapshotID: snapshotID, row: row.row, line: row.line, name: row.name, identity: row.identity,
            distinguishedName: row.distinguishedName, guid: row.guid, exchangeObjectID: row.exchangeObjectId,
            organizationID: row.organizationId, auditBypassEnabled: row.auditBypassEnabled,
            bypassEnabled: row.bypassEnabled)
    }
}

extension SnapshotRowLedgerContent {
    /// What the ledger holds for `row` of snapshot `snapshotId`.
    init(snapshotId: Int64, row: SnapshotRow) { self.init(SnapshotRowRecord(row, snapshotID: snapshotId)) }
}
