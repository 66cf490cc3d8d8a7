import Core
import Foundation
import GRDB

/// The `snapshot` and `snapshot_row` tables: storing an import with its ledger entries, reading it back, and the
/// two corrections (`snapshot remove`, `snapshot redate`) that change it.
package enum SnapshotRecordStore {
    /// Stores `snapshot` (its `id` ignored) and `rows` (their `snapshotID` ignored), chaining the snapshot and each
    /// row in the ledger at the import time, inside the caller's transaction. Returns the snapshot with its new id.
    package static func insert(_ db: Database, snapshot: SnapshotRecord, rows: [SnapshotRowRecord]) throws
        -> SnapshotRecord
    {
        var stored = snapshot
        try stored.insert(db)
        try Ledger.append(
            db, kind: .snapshotRow, ref: SnapshotLedger.ref(snapshotID: stored.id, row: 0),
            content: try SnapshotHeaderLedgerContent(stored).canonicalJSON(), at: stored.importedAt)
        for row in rows {
            var row = row
            row.snapshotID = stored.id
            try row.insert(db)
            try Ledger.append(
                db, kind: .snapshotRow, ref: SnapshotLedger.ref(snapshotID: stored.id, row: row.row),
                content: try SnapshotRowLedgerContent(row).canonicalJSON(), at: stored.importedAt)
        }
        return stored
    }

    /// The snapshot stored for a file with this content digest, if any.
    package static func header(_ db: Database, sha256: String) throws -> SnapshotHeader? {
        try headers(db, filter: "s.sha256 = ?", arguments: [sha256]).first
    }

    /// Snapshot `id`, if it is stored.
    package static func header(_ db: Database, id: Int64) throws -> SnapshotHeader? {
        try headers(db, filter: "s.id = ?", arguments: [id]).first
    }

    /// The snapshots of `tenant` (every snapshot when nil), oldest taking time first.
    package static func headers(_ db: Database, tenant: TenantID?) throws -> [SnapshotHeader] {
        if let tenant { return try headers(db, filter: "s.tenant = ?", arguments: [tenant.rawValue]) }
        return try headers(db, filter: "1 = 1", arguments: [])
    }

    private static func headers(_ db: Database, filter: String, arguments: StatementArguments) throws
        -> [SnapshotHeader]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.*,
                  (SELECT COUNT(*) FROM snapshot_row r WHERE r.snapshot_id = s.id AND r.bypass_enabled = 1) AS bypassed,
                  (SELECT COUNT(*) FROM snapshot_row r WHERE r.snapshot_id = s.id AND r.bypass_enabled = 0) AS not_bypassed,
                  (SELECT COUNT(*) FROM snapshot_row r WHERE r.snapshot_id = s.id AND r.bypass_enabled IS NULL)
                    AS indeterminate
                FROM snapshot s WHERE \(filter) ORDER BY s.taken_at, s.id
                """, arguments: arguments)
        return try rows.map { row in
            SnapshotHeader(
                snapshot: try SnapshotRecord(row: row), bypassedRows: try row.decode(forColumn: "bypassed"),
                notBypassedRows: try row.decode(forColumn: "not_bypassed"),
                indeterminateRows: try row.decode(forColumn: "indeterminate"))
        }
    }

    /// The rows of every snapshot of `tenant`, by snapshot and row number.
    package static func rows(_ db: Database, tenant: TenantID) throws -> [SnapshotRowRecord] {
        try SnapshotRowRecord.fetchAll(
            db,
            sql: """
                SELECT r.* FROM snapshot_row r JOIN snapshot s ON s.id = r.snapshot_id
                WHERE s.tenant = ? ORDER BY r.snapshot_id, r.row
                """,
            arguments: [tenant.rawValue])
    }

    /// The rows of every snapshot, by snapshot and row number, as stored.
    package static func allRows(_ db: Database) throws -> [SnapshotRowRecord] {
        try storedRows(db).map { try $0.record.get() }
    }

    /// Every snapshot by id, each decoded on its own, under its chain ref `<id>:0` (for `verify`, which holds each
    /// to its chain entry and names one that does not decode).
    package static func storedSnapshots(_ db: Database) throws -> [DecodedRow<SnapshotRecord>] {
        try DecodedRow.fetchAll(
            db, SnapshotRecord.order(SnapshotRecord.Columns.id),
            ref: { row in SnapshotLedger.ref(snapshotID: try row.decode(forColumn: SnapshotRecord.Columns.id), row: 0) },
            decode: SnapshotRecord.init(row:))
    }

    /// The rows of every snapshot, by snapshot and row number, each decoded on its own, under its chain ref
    /// `<snapshot>:<row>` (for `verify`).
    package static func storedRows(_ db: Database) throws -> [DecodedRow<SnapshotRowRecord>] {
        try DecodedRow.fetchAll(
            db, SnapshotRowRecord.order(SnapshotRowRecord.Columns.snapshotID, SnapshotRowRecord.Columns.row),
            ref: { row in
                SnapshotLedger.ref(
                    snapshotID: try row.decode(forColumn: SnapshotRowRecord.Columns.snapshotID),
                    row: try row.decode(forColumn: SnapshotRowRecord.Columns.row))
            },
            decode: SnapshotRowRecord.init(row:))
    }

    /// Tenants with at least one snapshot.
    package static func tenants(_ db: Database) throws -> [TenantID] {
        try SnapshotRecord.select(SnapshotRecord.Columns.tenant, as: String.self).distinct()
            .order(SnapshotRecord.Columns.tenant).fetchAll(db).map(TenantID.init)
    }

    /// Deletes snapshot `id` and its rows (its chain entries stay: the ledger is append-only).
    package static func delete(_ db: Database, snapshotID id: Int64) throws {
        try SnapshotRowRecord.filter(SnapshotRowRecord.Columns.snapshotID == id).deleteAll(db)
        _ = try SnapshotRecord.deleteOne(db, key: id)
    }

    /// Gives snapshot `id` the taking time `takenAt`, marked as given.
    package static func redate(_ db: Database, snapshotID id: Int64, takenAt: Date) throws {
        try SnapshotRecord.filter(key: id).updateAll(
            db, SnapshotRecord.Columns.takenAt.set(to: StoredTime.text(takenAt)),
            SnapshotRecord.Columns.takenAtGiven.set(to: true))
    }
}
