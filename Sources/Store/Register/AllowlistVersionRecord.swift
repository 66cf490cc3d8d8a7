import Core
import Foundation
import GRDB

/// One row of `allowlist_version`: a distinct register text, by digest. A version stored as a delta
/// (`AllowlistVersionDeltaRecord`) keeps `content` empty; `AllowlistVersionStore` writes and rebuilds both.
package struct AllowlistVersionRecord: FetchableRecord, MutablePersistableRecord, Sendable, Hashable {
    package static let databaseTableName = "allowlist_version"

    package enum Columns {
        package static let id = Column("id")
        package static let sha256 = Column("sha256")
        package static let content = Column("content")
        package static let path = Column("path")
        package static let firstSeenAt = Column("first_seen_at")
    }

    /// The row's key, assigned by SQLite on insert (`encode` leaves it out; a record built to be inserted holds 0).
    package var id: Int64
    /// SHA-256 of the version's text: its ledger `ref`.
    package var sha256: String
    /// The text; empty when the version is stored as a delta.
    package var content: String
    package var path: String
    package var firstSeenAt: Date

    package init(id: Int64 = 0, sha256: String, content: String, path: String, firstSeenAt: Date) {
        self.id = id
        self.sha256 = sha256
        self.content = content
        self.path = path
        self.firstSeenAt = firstSeenAt
    }

    package init(row: Row) throws {
        id = try row.decode(forColumn: Columns.id)
        sha256 = try row.decode(forColumn: Columns.sha256)
        content = try row.decode(forColumn: Columns.content)
        path = try row.decode(forColumn: Columns.path)
        firstSeenAt = try StoredTime.decode(row, Columns.firstSeenAt, table: Self.databaseTableName, key: String(id))
    }

    package func encode(to container: inout PersistenceContainer) {
        container[Columns.sha256] = sha256
        container[Columns.content] = content
        container[Columns.path] = path
        container[Columns.firstSeenAt] = StoredTime.text(firstSeenAt)
    }

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
