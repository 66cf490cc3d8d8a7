import Foundation
import GRDB

/// The stored parse of register versions (`allowlist_parse`), as opaque bytes: the Policy stage encodes and decodes
/// them (`StoredAllowlistParse`) and says which parser revision wrote them.
///
/// Only the parses of one version are kept: storing a version's parse drops those of every other version, so a
/// register edited every week does not leave a copy of its parse per edit (its versions themselves are kept, as
/// deltas, by `AllowlistVersionStore`).
package enum AllowlistParseStore {
    /// One stored parse.
    package struct Parse: Sendable, Hashable {
        package var sha256: String
        package var path: String
        package var parserRevision: Int
        package var bytes: Data
    }

    /// The parse of the version `sha256` read from `path` by parser `revision`; nil when none is stored.
    package static func parse(_ db: Database, sha256: String, path: String, revision: Int) throws -> Data? {
        guard try db.tableExists("allowlist_parse") else { return nil }
        return try Data.fetchOne(
            db, sql: "SELECT parse FROM allowlist_parse WHERE sha256 = ? AND path = ? AND parser_revision = ?",
            arguments: [sha256, path, revision])
    }

    /// Stores the parse of version `sha256` read from `path` by parser `revision`, in place of any stored for
    /// another version.
    package static func store(_ db: Database, sha256: String, path: String, revision: Int, bytes: Data, at time: Date)
        throws
    {
        guard try db.tableExists("allowlist_parse") else { return }
        try db.execute(sql: "DELETE FROM allowlist_parse WHERE sha256 <> ?", arguments: [sha256])
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO allowlist_parse (sha256, path, parser_revision, parse, stored_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [sha256, path, revision, bytes, StoredTime.text(time)])
    }

    /// Every stored parse, for `verify`.
    package static func all(_ db: Database) throws -> [Parse] {
        guard try db.tableExists("allowlist_parse") else { return [] }
        return try Row.fetchAll(
            db, sql: "SELECT sha256, path, parser_revision, parse FROM allowlist_parse ORDER BY sha256, path, parser_revision"
        ).map { row in
            Parse(
                sha256: try row.decode(atIndex: 0), path: try row.decode(atIndex: 1),
                parserRevision: try row.decode(atIndex: 2), bytes: try row.decode(atIndex: 3))
        }
    }
}
