import Core
import Store
import Foundation
import GRDB

/// One logged correction of an imported snapshot: `snapshot remove` (imported by mistake) or `snapshot redate`
/// (imported with the wrong taking time).
///
/// Its canonical JSON is the `snapshot-correction` chain entry, so `verify` can tell a corrected snapshot (gone, or
/// with another time, and explained by a chained correction) from one deleted or edited outside the tool, and a
/// deleted correction log row shows up as tampering.
public struct SnapshotCorrection: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case remove
        case redate
    }

    /// The row id in `snapshot_correction` (the chain entry's ref).
    public var id: Int64
    public var snapshotID: Int64
    public var tenant: TenantID
    public var action: Action
    /// When the correction was made.
    public var at: Date
    /// Who made it (`--by`, else the login name).
    public var by: String
    public var reason: String
    /// The snapshot's taking time before the correction.
    public var takenAtBefore: Date
    /// The new taking time (re-dating only).
    public var takenAtAfter: Date?
    /// The corrected snapshot's file name, content digest and row count, so the log names what was removed.
    public var fileName: String
    public var sha256: String
    public var rows: Int

    func canonicalJSON() throws -> String { try JSONCoding.string(self, pretty: false) }

    static func from(_ row: Row) -> SnapshotCorrection? {
        guard let action = Action(rawValue: row["action"] ?? ""),
            let at = UTCTimestamp.parse(row["at"] ?? ""),
            let before = UTCTimestamp.parse(row["taken_at_before"] ?? "")
        else { return nil }
        let afterText: String? = row["taken_at_after"]
        return SnapshotCorrection(
            id: row["id"], snapshotID: row["snapshot_id"], tenant: TenantID(row["tenant"] ?? ""), action: action,
            at: at, by: row["by"] ?? "", reason: row["reason"] ?? "", takenAtBefore: before,
            takenAtAfter: afterText.flatMap(UTCTimestamp.parse), fileName: row["file_name"] ?? "",
            sha256: row["sha256"] ?? "", rows: row["rows"] ?? 0)
    }
}

/// Removes or re-dates an imported snapshot, logging and chaining the correction in the same transaction.
public enum SnapshotCorrector {
    public enum CorrectionError: Error, Sendable, Hashable, CustomStringConvertible {
        case noSnapshot(Int64)
        case emptyReason
        case takenInFuture(Date)
        case sameTime(Int64, Date)

        public var description: String {
            switch self {
            case .noSnapshot(let id): "there is no snapshot \(id) (see `bypass-auditor snapshot list`)"
            case .emptyReason: "--reason must say why the snapshot is corrected"
            case .takenInFuture(let date): "--taken-at \(UTCTimestamp.format(date)) is in the future"
            case .sameTime(let id, let date): "snapshot \(id) is already dated \(UTCTimestamp.format(date)): nothing to change"
            }
        }
    }

    /// Deletes snapshot `id` and its rows. Its chain entries stay (the ledger is append-only); the correction
    /// explains to `verify` why their rows are gone, and the entries still hold what the rows said.
    public static func remove(
        snapshotID id: Int64, reason: String, by: String, in database: AuditDatabase, now: Date = Date()
    ) throws -> SnapshotCorrection {
        try database.write { db in
            let summary = try existing(id, db)
            let correction = try log(
                db, summary: summary, action: .remove, takenAtAfter: nil, reason: reason, by: by, now: now)
            try db.execute(sql: "DELETE FROM snapshot_row WHERE snapshot_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM snapshot WHERE id = ?", arguments: [id])
            return correction
        }
    }

    /// Gives snapshot `id` the taking time `takenAt` (marked as given).
    public static func redate(
        snapshotID id: Int64, takenAt: Date, reason: String, by: String, in database: AuditDatabase, now: Date = Date()
    ) throws -> SnapshotCorrection {
        let takenAt = milliseconds(takenAt)
        // A little clock skew between the admin's machine and this one is normal (as on import).
        guard takenAt <= now.addingTimeInterval(300) else { throw CorrectionError.takenInFuture(takenAt) }
        return try database.write { db in
            let summary = try existing(id, db)
            if summary.takenAt == takenAt, summary.takenAtGiven { throw CorrectionError.sameTime(id, takenAt) }
            let correction = try log(
                db, summary: summary, action: .redate, takenAtAfter: takenAt, reason: reason, by: by, now: now)
            try db.execute(
                sql: "UPDATE snapshot SET taken_at = ?, taken_at_given = 1 WHERE id = ?",
                arguments: [UTCTimestamp.format(takenAt), id])
            return correction
        }
    }

    /// The corrections of `tenant` (every tenant when nil), oldest first.
    public static func corrections(_ db: Database, tenant: TenantID?) throws -> [SnapshotCorrection] {
        guard try db.tableExists("snapshot_correction") else { return [] }
        let rows =
            if let tenant {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM snapshot_correction WHERE tenant = ? ORDER BY id",
                    arguments: [tenant.rawValue])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM snapshot_correction ORDER BY id")
            }
        return rows.compactMap(SnapshotCorrection.from)
    }

    private static func existing(_ id: Int64, _ db: Database) throws -> SnapshotSummary {
        guard let summary = try SnapshotStore.summaries(db, where: "s.id = ?", arguments: [id]).first else {
            throw CorrectionError.noSnapshot(id)
        }
        return summary
    }

    private static func log(
        _ db: Database, summary: SnapshotSummary, action: SnapshotCorrection.Action, takenAtAfter: Date?,
        reason: String, by: String, now: Date
    ) throws -> SnapshotCorrection {
        let reason = reason.whitespaceTrimmed
        guard !reason.isEmpty else { throw CorrectionError.emptyReason }
        let at = milliseconds(now)
        try db.execute(
            sql: """
                INSERT INTO snapshot_correction (snapshot_id, tenant, action, at, by, reason, taken_at_before,
                                                 taken_at_after, file_name, sha256, rows)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                summary.id, summary.tenant.rawValue, action.rawValue, UTCTimestamp.format(at), by, reason,
                UTCTimestamp.format(summary.takenAt), takenAtAfter.map(UTCTimestamp.format), summary.fileName,
                summary.sha256, summary.rows,
            ])
        let correction = SnapshotCorrection(
            id: db.lastInsertedRowID, snapshotID: summary.id, tenant: summary.tenant, action: action, at: at, by: by,
            reason: reason, takenAtBefore: summary.takenAt, takenAtAfter: takenAtAfter, fileName: summary.fileName,
            sha256: summary.sha256, rows: summary.rows)
        try Ledger.append(
            db, kind: .snapshotCorrection, ref: String(correction.id), content: try correction.canonicalJSON(), at: at)
        return correction
    }

    /// The instant as the store gives it back (millisecond text), so chained content and stored rows agree.
    private static func milliseconds(_ date: Date) -> Date { UTCTimestamp.parse(UTCTimestamp.format(date)) ?? date }
}
