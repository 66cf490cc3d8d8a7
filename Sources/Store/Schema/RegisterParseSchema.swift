import GRDB

/// The stored parse of register versions (`allowlist_parse`): what reading a version's text gave, so that `drift`
/// and `report` do not parse an unchanged register again on every run (5,000 entries take a quarter of a second).
enum RegisterParseSchema {
    /// One row per version digest, register path and parser revision. The path is part of the key because the
    /// parse names its file in every issue and in the register itself. Guarded like every table `verify` holds to
    /// its source (`WriteGuard`): `verify` parses each version again and compares.
    static func createV8(_ db: Database) throws {
        try db.create(table: "allowlist_parse") { t in
            t.column("sha256", .text).notNull()
            t.column("path", .text).notNull()
            t.column("parser_revision", .integer).notNull()
            t.column("parse", .blob).notNull()  // JSON of the parse (`StoredAllowlistParse`)
            t.column("stored_at", .text).notNull()
            t.primaryKey(["sha256", "path", "parser_revision"])
        }
        try WriteGuard.install(db, tables: WriteGuard.guardedAtV8)
    }
}
