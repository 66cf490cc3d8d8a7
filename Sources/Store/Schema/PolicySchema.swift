import GRDB

/// The register's history: every version of `allowlist.yaml` seen, the order versions were seen in, the entry-level
/// changes between them, and the edits made through the tool.
enum PolicySchema {
    static func createV1(_ db: Database) throws {
        // Each distinct file content once, by hash (chained in the ledger as `allowlist-version`, ref = sha256).
        try db.create(table: "allowlist_version") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("sha256", .text).notNull().unique()
            t.column("content", .text).notNull()
            t.column("path", .text).notNull()
            t.column("first_seen_at", .text).notNull()
        }
        // Every time a run found the register different from the previous run (a revert to an older content is an
        // observation too, although its version row already exists).
        try db.create(table: "allowlist_observation") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("version_id", .integer).notNull().references("allowlist_version")
            t.column("path", .text).notNull()
            t.column("seen_at", .text).notNull()
            t.column("valid", .boolean).notNull()
        }
        // Entries added, changed or removed between two observed valid versions, whoever made the change.
        try db.create(table: "allowlist_change") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("observation_id", .integer).notNull().references("allowlist_observation")
            t.column("seen_at", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("entry_id", .text).notNull()
            t.column("from_sha256", .text)
            t.column("to_sha256", .text).notNull()
            t.column("fields", .text).notNull()  // JSON array of the changed keys
        }
        try db.create(index: "allowlist_change_by_time", on: "allowlist_change", columns: ["seen_at"])
        // Edits made with `allowlist add|renew|remove` (chained in the ledger as `allowlist-edit`, ref = id).
        try db.create(table: "allowlist_edit") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .text).notNull()
            t.column("by", .text).notNull()
            t.column("action", .text).notNull()
            t.column("entry_id", .text).notNull()
            t.column("reason", .text)
            t.column("summary", .text).notNull()
        }
        try db.create(index: "allowlist_edit_by_time", on: "allowlist_edit", columns: ["at"])
    }
}
