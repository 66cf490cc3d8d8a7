import Foundation
import GRDB

/// Where a logged register-edit intent is (see the Policy stage's `AllowlistEditJournal`).
package enum AllowlistEditIntentState: String, Sendable, Hashable, CaseIterable {
    /// Logged; the file may or may not have been replaced yet.
    case pending
    /// The edit-log row was written (`editID`).
    case completed
    /// The file was never replaced: nothing happened.
    case rolledBack = "rolled-back"
    /// The file held neither the text before nor the text after: whether the edit happened cannot be told.
    case unresolved
}

/// One row of `allowlist_edit_intent`: a register edit logged before its file is replaced. `action` is the Policy
/// stage's `AllowlistEdit.Action`, kept as stored; Policy maps it.
package struct AllowlistEditIntentRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "allowlist_edit_intent"

    package enum Columns {
        package static let id = Column("id")
        package static let path = Column("path")
        package static let at = Column("at")
        package static let by = Column("by")
        package static let action = Column("action")
        package static let entryID = Column("entry_id")
        package static let reason = Column("reason")
        package static let summary = Column("summary")
        package static let beforeSHA256 = Column("before_sha256")
        package static let afterSHA256 = Column("after_sha256")
        package static let state = Column("state")
        package static let editID = Column("edit_id")
        package static let resolvedAt = Column("resolved_at")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    /// The register file: absolute, symlinks resolved.
    package var path: String
    package var at: Date
    package var by: String
    package var action: String
    package var entryID: String
    package var reason: String?
    package var summary: String
    /// The register's SHA-256 before and after the edit.
    package var beforeSHA256: String
    package var afterSHA256: String
    package var state: AllowlistEditIntentState
    /// The `allowlist_edit` row written on completion.
    package var editID: Int64?
    package var resolvedAt: Date?

    package init(
        id: Int64 = 0, path: String, at: Date, by: String, action: String, entryID: String, reason: String?,
        summary: String, beforeSHA256: String, afterSHA256: String, state: AllowlistEditIntentState = .pending,
        editID: Int64? = nil, resolvedAt: Date? = nil
    ) {
        self.id = id
        self.path = path
        self.at = at
        self.by = by
        self.action = action
        self.entryID = entryID
        self.reason = reason
        self.summary = summary
        self.beforeSHA256 = beforeSHA256
        self.afterSHA256 = afterSHA256
        self.state = state
        self.editID = editID
        self.resolvedAt = resolvedAt
    }

    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        let key = String(id)
        path = try row.decode(forColumn: Columns.path)
        at = try StoredTime.decode(row, Columns.at, table: Self.databaseTableName, key: key)
        by = try row.decode(forColumn: Columns.by)
        action = try row.decode(forColumn: Columns.action)
        entryID = try row.decode(forColumn: Columns.entryID)
        reason = try row.decode(forColumn: Columns.reason)
        summary = try row.decode(forColumn: Columns.summary)
        beforeSHA256 = try row.decode(forColumn: Columns.beforeSHA256)
        afterSHA256 = try row.decode(forColumn: Columns.afterSHA256)
        state = try StoredValue.decode(
            AllowlistEditIntentState.self, try row.decode(forColumn: Columns.state), table: Self.databaseTableName,
            row: key, column: Columns.state.name)
        editID = try row.decode(forColumn: Columns.editID)
        resolvedAt = try StoredTime.decodeIfPresent(row, Columns.resolvedAt, table: Self.databaseTableName, key: key)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.path] = path
        container[Columns.at] = StoredTime.text(at)
        container[Columns.by] = by
        container[Columns.action] = action
        container[Columns.entryID] = entryID
        container[Columns.reason] = reason
        container[Columns.summary] = summary
        container[Columns.beforeSHA256] = beforeSHA256
        container[Columns.afterSHA256] = afterSHA256
        container[Columns.state] = state.rawValue
        container[Columns.editID] = editID
        container[Columns.resolvedAt] = resolvedAt.map(StoredTime.text)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
