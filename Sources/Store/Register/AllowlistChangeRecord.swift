import Core
import Foundation
import GRDB

/// One row of `allowlist_change`: an entry added, changed or removed between two observed valid register versions.
/// `kind` is the Policy stage's `AllowlistVersionChange.Kind`, kept as stored; Policy maps it.
package struct AllowlistChangeRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "allowlist_change"

    package enum Columns {
        package static let id = Column("id")
        package static let observationID = Column("observation_id")
        package static let seenAt = Column("seen_at")
        package static let kind = Column("kind")
        package static let entryID = Column("entry_id")
        package static let fromSHA256 = Column("from_sha256")
        package static let toSHA256 = Column("to_sha256")
        package static let fields = Column("fields")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    package var observationID: Int64
    package var seenAt: Date
    package var kind: String
    package var entryID: String
    package var fromSHA256: String?
    package var toSHA256: String
    /// The entry's changed keys (stored as a JSON array).
    package var fields: [String]

    package init(
        id: Int64 = 0, observationID: Int64, seenAt: Date, kind: String, entryID: String, fromSHA256: String?,
        toSHA256: String, fields: [String]
    ) {
        self.id = id
        self.observationID = observationID
        self.seenAt = seenAt
        self.kind = kind
        self.entryID = entryID
        self.fromSHA256 = fromSHA256
        self.toSHA256 = toSHA256
        self.fields = fields
    }

    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        observationID = try row.decode(forColumn: Columns.observationID)
        seenAt = try StoredTime.decode(row, Columns.seenAt, table: Self.databaseTableName, key: String(id))
        kind = try row.decode(forColumn: Columns.kind)
        entryID = try row.decode(forColumn: Columns.entryID)
        fromSHA256 = try row.decode(forColumn: Columns.fromSHA256)
        toSHA256 = try row.decode(forColumn: Columns.toSHA256)
        let fieldsText: String = try row.decode(forColumn: Columns.fields)
        guard let fields = try? JSONDecoder().decode([String].self, from: Data(fieldsText.utf8)) else {
            throw StoreError.undecodableRow(
                table: Self.databaseTableName, row: String(id), column: Columns.fields.name, value: fieldsText)
        }
        self.fields = fields
    }

    package func encode(to container: inout PersistenceContainer) throws {
        container[Columns.observationID] = observationID
        container[Columns.seenAt] = StoredTime.text(seenAt)
        container[Columns.kind] = kind
        container[Columns.entryID] = entryID
        container[Columns.fromSHA256] = fromSHA256
        container[Columns.toSHA256] = toSHA256
        container[Columns.fields] = try JSONCoding.string(fields, pretty: false)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
