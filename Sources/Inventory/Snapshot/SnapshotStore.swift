import Core
import Store
import Foundation
import GRDB

/// The `snapshot` and `snapshot_row` tables: writing an import (with its ledger entries) and reading it back.
public enum SnapshotStore {
    /// One stored snapshot with its rows.
    public struct StoredSnapshot: Sendable, Hashable {
        public var summary: SnapshotSummary
        public var rows: [SnapshotRow]
    }

    /// What a snapshot's own ledger entry (`<id>:0`) holds: every column of the `snapshot` row, so that a snapshot
    /// inserted by hand (an empty "complete" one would hide every bypass) or an edited taking time shows up in
    /// `verify`.
    struct HeaderLedgerContent: Codable, Equatable {
        var id: Int64
        var tenant: TenantID
        var takenAt: Date
        var takenAtGiven: Bool
        var importedAt: Date
        var fileName: String
        var sha256: String
        var format: String
        var rows: Int
        var complete: Bool
        var completeGiven: Bool

        init(_ summary: SnapshotSummary) {
            id = summary.id
            tenant = summary.tenant
            takenAt = summary.takenAt
            takenAtGiven = summary.takenAtGiven
            importedAt = summary.importedAt
            fileName = summary.fileName
            sha256 = summary.sha256
            format = summary.format
            rows = summary.rows
            complete = summary.complete
            completeGiven = summary.completeGiven
        }

        func canonicalJSON() throws -> String { try JSONCoding.string(self, pretty: false) }
    }

    /// What one row's ledger entry (`<id>:<row>`) holds: the row as stored, state included.
    struct RowLedgerContent: Codable, Equatable {
        var snapshotId: Int64
        var row: SnapshotRow

        func canonicalJSON() throws -> String { try JSONCoding.string(self, pretty: false) }
    }

    /// The ledger `ref` of one row; row 0 stands for the snapshot itself.
    public static func ledgerRef(snapshotID: Int64, row: Int) -> String { "\(snapshotID):\(row)" }

    /// The snapshot already stored for a file with this content digest, if any.
    public static func snapshot(sha256: String, _ db: Database) throws -> SnapshotSummary? {
        try summaries(db, where: "sha256 = ?", arguments: [sha256]).first
    }

    /// Stores a snapshot and its rows, appending each row to the ledger, inside the caller's transaction.
    /// `summary.id` is ignored; the stored summary (with its new id) is returned.
    static func insert(_ db: Database, summary: SnapshotSummary, rows: [SnapshotRow]) throws -> SnapshotSummary {
        try db.execute(
            sql: """
                INSERT INTO snapshot (tenant, taken_at, taken_at_given, imported_at, file_name, sha256, format, rows,
                                      complete, complete_given)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                summary.tenant.rawValue, UTCTimestamp.format(summary.takenAt), summary.takenAtGiven,
                UTCTimestamp.format(summary.importedAt), summary.fileName, summary.sha256, summary.format,
                summary.rows, summary.complete, summary.completeGiven,
            ])
        var stored = summary
        stored.id = db.lastInsertedRowID
        try Ledger.append(
            db, kind: .snapshotRow, ref: ledgerRef(snapshotID: stored.id, row: 0),
            content: try HeaderLedgerContent(stored).canonicalJSON(), at: summary.importedAt)
        for row in rows {
            try db.execute(
                sql: """
                    INSERT INTO snapshot_row (snapshot_id, row, line, name, identity, distinguished_name, guid,
                                              exchange_object_id, organization_id, audit_bypass_enabled, bypass_enabled)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    stored.id, row.row, row.line, NULSafeText.encode(row.name), NULSafeText.encode(row.identity),
                    NULSafeText.encode(row.distinguishedName), row.guid,
                    row.exchangeObjectId, row.organizationId, row.auditBypassEnabled, row.bypassEnabled,
                ])
            try Ledger.append(
                db, kind: .snapshotRow, ref: ledgerRef(snapshotID: stored.id, row: row.row),
                content: try RowLedgerContent(snapshotId: stored.id, row: row).canonicalJSON(), at: summary.importedAt)
        }
        return stored
    }

    /// Every snapshot of `tenant`, oldest taking time first, with its rows.
    public static func snapshots(_ db: Database, tenant: TenantID) throws -> [StoredSnapshot] {
        let summaries = try summaries(db, where: "tenant = ?", arguments: [tenant.rawValue])
        guard !summaries.isEmpty else { return [] }
        var rowsBySnapshot: [Int64: [SnapshotRow]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT r.* FROM snapshot_row r JOIN snapshot s ON s.id = r.snapshot_id
                WHERE s.tenant = ? ORDER BY r.snapshot_id, r.row
                """,
            arguments: [tenant.rawValue])
        while let row = try rows.next() {
            rowsBySnapshot[row["snapshot_id"], default: []].append(snapshotRow(from: row))
        }
        return summaries.map { StoredSnapshot(summary: $0, rows: rowsBySnapshot[$0.id] ?? []) }
    }

    /// Tenants with at least one snapshot.
    public static func tenants(_ db: Database) throws -> [TenantID] {
        try String.fetchAll(db, sql: "SELECT DISTINCT tenant FROM snapshot ORDER BY tenant").map(TenantID.init)
    }

    static func summaries(_ db: Database, where filter: String, arguments: StatementArguments) throws
        -> [SnapshotSummary]
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
        return rows.map { row in
            let takenAt = UTCTimestamp.parse(row["taken_at"] as String) ?? Date(timeIntervalSince1970: 0)
            return SnapshotSummary(
                id: row["id"], tenant: TenantID(row["tenant"] as String), takenAt: takenAt,
                takenAtGiven: row["taken_at_given"], fileName: row["file_name"], sha256: row["sha256"],
                rows: row["rows"], complete: row["complete"], completeGiven: row["complete_given"],
                importedAt: UTCTimestamp.parse(row["imported_at"] as String) ?? takenAt, format: row["format"],
                bypassedRows: row["bypassed"], notBypassedRows: row["not_bypassed"],
                indeterminateRows: row["indeterminate"])
        }
    }

    static func snapshotRow(from row: Row) -> SnapshotRow {
        var result = SnapshotRow(
            row: row["row"], line: row["line"], name: NULSafeText.decode(row["name"]),
            identity: NULSafeText.decode(row["identity"]), distinguishedName: NULSafeText.decode(row["distinguished_name"]), guid: row["guid"], exchangeObjectId: row["exchange_object_id"],
            organizationId: row["organization_id"], auditBypassEnabled: row["audit_bypass_enabled"])
        // The stored state is what the inventory uses, so it is what the ledger check compares.
        result.bypassEnabled = row["bypass_enabled"]
        return result
    }
}
