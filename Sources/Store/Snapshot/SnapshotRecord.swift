import Core
import Foundation
import GRDB

/// One row of `snapshot`: an imported `Get-MailboxAuditBypassAssociation` file, keyed by the SHA-256 of its bytes.
/// Chained in the ledger as `snapshot-row` with ref `<id>:0` (see `SnapshotHeaderLedgerContent`).
package struct SnapshotRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "snapshot"

    package enum Columns {
        package static let id = Column("id")
        package static let tenant = Column("tenant")
        package static let takenAt = Column("taken_at")
        package static let takenAtGiven = Column("taken_at_given")
        package static let importedAt = Column("imported_at")
        package static let fileName = Column("file_name")
        package static let sha256 = Column("sha256")
        package static let format = Column("format")
        package static let rows = Column("rows")
        package static let complete = Column("complete")
        package static let completeGiven = Column("complete_given")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    package var tenant: TenantID
    package var takenAt: Date
    /// False: the import time stands in for the taking time.
    package var takenAtGiven: Bool
    package var importedAt: Date
    package var fileName: String
    package var sha256: String
    /// `csv` or `json`.
    package var format: String
    package var rows: Int
    /// Absence from the snapshot means "not bypassed"; `completeGiven`: the admin said so.
    package var complete: Bool
    package var completeGiven: Bool

    package init(
        id: Int64 = 0, tenant: TenantID, takenAt: Date, takenAtGiven: Bool, importedAt: Date, fileName: String,
        sha256: String, format: String, rows: Int, complete: Bool, completeGiven: Bool
    ) {
        self.id = id
        self.tenant = tenant
        self.takenAt = takenAt
        self.takenAtGiven = takenAtGiven
        self.importedAt = importedAt
        self.fileName = fileName
        self.sha256 = sha256
        self.format = format
        self.rows = rows
        self.complete = complete
        self.completeGiven = completeGiven
    }

    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        let key = String(id)
        tenant = TenantID(try row.decode(String.self, forColumn: Columns.tenant))
        takenAt = try StoredTime.decode(row, Columns.takenAt, table: Self.databaseTableName, key: key)
        takenAtGiven = try row.decode(forColumn: Columns.takenAtGiven)
        importedAt = try StoredTime.decode(row, Columns.importedAt, table: Self.databaseTableName, key: key)
        fileName = try row.decode(forColumn: Columns.fileName)
        sha256 = try row.decode(forColumn: Columns.sha256)
        format = try row.decode(forColumn: Columns.format)
        rows = try row.decode(forColumn: Columns.rows)
        complete = try row.decode(forColumn: Columns.complete)
        completeGiven = try row.decode(forColumn: Columns.completeGiven)
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.tenant] = tenant.rawValue
        container[Columns.takenAt] = StoredTime.text(takenAt)
        container[Columns.takenAtGiven] = takenAtGiven
        container[Columns.importedAt] = StoredTime.text(importedAt)
        container[Columns.fileName] = fileName
        container[Columns.sha256] = sha256
        container[Columns.format] = format
        container[Columns.rows] = rows
        container[Columns.complete] = complete
        container[Columns.completeGiven] = completeGiven
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A stored snapshot with the number of its stored rows in each state, as `snapshot list` and the inventory show it.
package struct SnapshotHeader: Sendable, Hashable {
    package var snapshot: SnapshotRecord
    /// Rows stored with `bypass_enabled` true, false and NULL (indeterminate).
    package var bypassedRows: Int
    package var notBypassedRows: Int
    package var indeterminateRows: Int

    package init(snapshot: SnapshotRecord, bypassedRows: Int, notBypassedRows: Int, indeterminateRows: Int) {
        self.snapshot = snapshot
        self.bypassedRows = bypassedRows
        self.notBypassedRows = notBypassedRows
        self.indeterminateRows = indeterminateRows
    }
}
