import GRDB

/// Register edits as one recoverable step: the intent is logged before the file is replaced.
enum RegisterEditIntentSchema {
    /// "v4-allowlist-edit-intent".
    /// - `allowlist_edit_intent`: one row per edit made with `allowlist add|renew|remove`, written (state `pending`)
    ///   before the register file is replaced, with the edit's who/why and the register's hash before and after.
    ///   The edit-log row (`allowlist_edit`) is appended when the file is in place (state `completed`, `edit_id` set).
    ///   A process killed in between leaves the row `pending`; the next command that touches the register completes
    ///   it (the file holds `after_sha256`), rolls it back (the file still holds `before_sha256`: nothing changed) or
    ///   marks it `unresolved` (the file holds neither: someone else edited it since).
    static func create(_ db: Database) throws {
        try db.create(table: "allowlist_edit_intent") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("path", .text).notNull()
            t.column("at", .text).notNull()
            t.column("by", .text).notNull()
            t.column("action", .text).notNull()
            t.column("entry_id", .text).notNull()
            t.column("reason", .text)
            t.column("summary", .text).notNull()
            t.column("before_sha256", .text).notNull()
            t.column("after_sha256", .text).notNull()
            t.column("state", .text).notNull()
            t.column("edit_id", .integer).references("allowlist_edit")
            t.column("resolved_at", .text)
        }
        try db.create(index: "allowlist_edit_intent_by_state", on: "allowlist_edit_intent", columns: ["state", "path"])
    }
}
