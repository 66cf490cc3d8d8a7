import Foundation
import GRDB

/// One row of `allowlist_observation`: a run found the register at `versionID` (different from the run before).
package struct AllowlistObservationRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "allowlist_observation"

    package enum Columns {
        package static let id = Column("id")
        package static let versionID = Column("version_id")
        package static let path = Column("path")
        package static let seenAt = Column("seen_at")
        package static let valid = Column("valid")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    package var versionID: Int64
    package var path: String
    package var seenAt: Date
    /// Whether the register was valid as seen.
    package var valid: Bool

    package init(id: Int64 = 0, versionID: Int64, path: String, seenAt: Date, valid: Bool) {
        self.id = id
        self.versionID = versionID
        self.path = path
        self.seenAt = seenAt
        self.valid = valid
    }

    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        versionID = try row.decode(forColumn: Columns.versionID)
        path = try row.decode(forColumn: Columns.path)
        seenAt = try StoredTime.decode(row, Columns.seenAt, table: Self.databaseTableName, key: String(id))
        valid = try row.decode(forColumn: Columns.valid)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.versionID] = versionID
        container[Columns.path] = path
        container[Columns.seenAt] = StoredTime.text(seenAt)
        container[Columns.valid] = valid
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
