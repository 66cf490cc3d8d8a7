import Core
import Store
import Foundation
import GRDB

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
            try SnapshotRecordStore.delete(db, snapshotID: id)
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
            try SnapshotRecordStore.redate(db, snapshotID: id, takenAt: takenAt)
            return correction
        }
    }

    /// The corrections of `tenant` (every tenant when nil), oldest first.
    public static func corrections(_ db: Database, tenant: TenantID?) throws -> [SnapshotCorrection] {
        try SnapshotCorrectionStore.corrections(db, tenant: tenant)
    }

    private static func existing(_ id: Int64, _ db: Database) throws -> SnapshotSummary {
        guard let summary = try SnapshotStore.snapshot(id: id, db) else {
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
        return try SnapshotCorrectionStore.append(
            db,
            SnapshotCorrection(
                snapshotID: summary.id, tenant: summary.tenant, action: action, at: at, by: by, reason: reason,
                takenAtBefore: summary.takenAt, takenAtAfter: takenAtAfter, fileName: summary.fileName,
                sha256: summary.sha256, rows: summary.rows))
    }

    /// The instant as the store gives it back (millisecond text), so chained content and stored rows agree.
    private static func milliseconds(_ date: Date) -> Date { UTCTimestamp.parse(UTCTimestamp.format(date)) ?? date }
}
