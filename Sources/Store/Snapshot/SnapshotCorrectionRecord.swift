import Core
import Foundation
import GRDB

/// One row of `snapshot_correction`: the correction it logs. A value no version of the tool writes (an unknown
/// action, a time that does not parse) is a `StoreError.undecodableRow` naming the row and column.
package struct SnapshotCorrectionRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    /// The correction; its `id` is the row's key, assigned by SQLite on insert.
    package var correction: SnapshotCorrection

    package init(_ correction: SnapshotCorrection) { self.correction = correction }

    package static let databaseTableName = "snapshot_correction"

    package enum Columns {
        package static let id = Column("id")
        package static let snapshotID = Column("snapshot_id")
        package static let tenant = Column("tenant")
        package static let action = Column("action")
        package static let at = Column("at")
        package static let by = Column("by")
        package static let reason = Column("reason")
        package static let takenAtBefore = Column("taken_at_before")
        package static let takenAtAfter = Column("taken_at_after")
        package static let fileName = Column("file_name")
        package static let sha256 = Column("sha256")
        package static let rows = Column("rows")
    }

    /// A value no version of the tool writes (an unknown action, a time that does not parse) is a
    /// `StoreError.undecodableRow` naming the row and column.
    package init(row: Row) throws {
        let id: Int64 = try row.decode(forColumn: Columns.id)
        let key = String(id)
        let table = Self.databaseTableName
        correction = SnapshotCorrection(
            id: id, snapshotID: try row.decode(forColumn: Columns.snapshotID),
            tenant: TenantID(try row.decode(String.self, forColumn: Columns.tenant)),
            action: try StoredValue.decode(
                SnapshotCorrection.Action.self, try row.decode(forColumn: Columns.action), table: table, row: key,
                column: Columns.action.name),
            at: try StoredTime.decode(row, Columns.at, table: table, key: key), by: try row.decode(forColumn: Columns.by),
            reason: try row.decode(forColumn: Columns.reason),
            takenAtBefore: try StoredTime.decode(row, Columns.takenAtBefore, table: table, key: key),
            takenAtAfter: try StoredTime.decodeIfPresent(row, Columns.takenAtAfter, table: table, key: key),
            fileName: try row.decode(forColumn: Columns.fileName), sha256: try row.decode(forColumn: Columns.sha256),
            rows: try row.decode(forColumn: Columns.rows))
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.snapshotID] = correction.snapshotID
        container[Columns.tenant] = correction.tenant.rawValue
        container[Columns.action] = correction.action.rawValue
        container[Columns.at] = StoredTime.text(correction.at)
        container[Columns.by] = correction.by
        container[Columns.reason] = correction.reason
        container[Columns.takenAtBefore] = StoredTime.text(correction.takenAtBefore)
        container[Columns.takenAtAfter] = correction.takenAtAfter.map(StoredTime.text)
        container[Columns.fileName] = correction.fileName
        container[Columns.sha256] = correction.sha256
        container[Columns.rows] = correction.rows
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { correction.id = inserted.rowID }
}
