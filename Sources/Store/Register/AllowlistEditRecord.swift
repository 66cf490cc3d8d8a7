import Foundation
import GRDB

/// One row of `allowlist_edit`: an edit made through the tool (`allowlist add|renew|remove`), chained in the ledger
/// as `allowlist-edit` with its id as `ref`. `action` is the Policy stage's `AllowlistEdit.Action`, kept as stored;
/// Policy maps it.
package struct AllowlistEditRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "allowlist_edit"

    package enum Columns {
        package static let id = Column("id")
        package static let at = Column("at")
        package static let by = Column("by")
        package static let action = Column("action")
        package static let entryID = Column("entry_id")
        package static let reason = Column("reason")
        package static let summary = Column("summary")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    package var at: Date
    package var by: String
    package var action: String
    package var entryID: String
    package var reason: String?
    package var summary: String

    package init(
        id: Int64 = 0, at: Date, by: String, action: String, entryID: String, reason: String?, summary: String
    ) {
        self.id = id
        self.at = at
        self.by = by
        self.action = action
        self.entryID = entryID
        self.reason = reason
        self.summary = summary
    }

    /// `at` written as a number is read as seconds since 1970: `verify` has always taken such a time as naming the
    /// instant, and compares it with the chained edit.
    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        at = try StoredTime.decode(row, Columns.at, table: Self.databaseTableName, key: String(id), acceptingSeconds: true)
        by = try row.decode(forColumn: Columns.by)
        action = try row.decode(forColumn: Columns.action)
        entryID = try row.decode(forColumn: Columns.entryID)
        reason = try row.decode(forColumn: Columns.reason)
        summary = try row.decode(forColumn: Columns.summary)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.at] = StoredTime.text(at)
        container[Columns.by] = by
        container[Columns.action] = action
        container[Columns.entryID] = entryID
        container[Columns.reason] = reason
        container[Columns.summary] = summary
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
