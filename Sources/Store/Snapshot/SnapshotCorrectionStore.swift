import Core
import Foundation
import GRDB

/// The log of snapshot corrections (`snapshot_correction`), each chained in the ledger as `snapshot-correction`
/// with its id as `ref`.
package enum SnapshotCorrectionStore {
    /// Logs `correction` (its `id` assigned) and chains it at its time, inside the caller's transaction.
    package static func append(_ db: Database, _ correction: SnapshotCorrection) throws -> SnapshotCorrection {
        var record = SnapshotCorrectionRecord(correction)
        try record.insert(db)
        let stored = record.correction
        try Ledger.append(
            db, kind: .snapshotCorrection, ref: String(stored.id), content: try stored.canonicalJSON(), at: stored.at)
        return stored
    }

    /// The corrections of `tenant` (every tenant when nil), oldest first. A database opened read-only before the
    /// log existed has none.
    package static func corrections(_ db: Database, tenant: TenantID?) throws -> [SnapshotCorrection] {
        guard try db.tableExists(SnapshotCorrectionRecord.databaseTableName) else { return [] }
        var request = SnapshotCorrectionRecord.all()
        if let tenant { request = request.filter(SnapshotCorrectionRecord.Columns.tenant == tenant.rawValue) }
        return try request.order(SnapshotCorrectionRecord.Columns.id).fetchAll(db).map(\.correction)
    }

    /// Every correction by id, each decoded on its own, under its chain ref (its id), for `verify`. A database opened
    /// read-only before the log existed has none.
    package static func storedCorrections(_ db: Database) throws -> [DecodedRow<SnapshotCorrection>] {
        guard try db.tableExists(SnapshotCorrectionRecord.databaseTableName) else { return [] }
        return try DecodedRow.fetchAll(
            db, SnapshotCorrectionRecord.order(SnapshotCorrectionRecord.Columns.id),
            ref: { row in String(try row.decode(Int64.self, forColumn: SnapshotCorrectionRecord.Columns.id)) },
            decode: { row in try SnapshotCorrectionRecord(row: row).correction })
    }
}
