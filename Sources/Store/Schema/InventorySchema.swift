import GRDB

/// Imported `Get-MailboxAuditBypassAssociation` snapshots and their rows (see `SnapshotImporter`), and the
/// projection of stored bypass events the inventory read until `v2-bypass-change` replaced it with `bypass_change`.
enum InventorySchema {
    static func createV1(_ db: Database) throws {
        // The fields of each stored bypass event the inventory reads, keyed by the event's rowid: reading them out
        // of 200,000 JSON documents on every view costs seconds. Derived data: `verify` checks it against the
        // documents, and events not projected yet are read from their documents.
        try db.create(table: "bypass_record") { t in
            t.primaryKey("event_rowid", .integer)
            t.column("event_id", .text).notNull()
            t.column("tenant", .text).notNull()
            t.column("time", .double)  // @timestamp, seconds since 1970, full precision; NULL when unreadable
            t.column("ingested_at", .text).notNull()
            t.column("actor", .text)
            t.column("client_ip", .text)
            t.column("identity", .text)
            t.column("object_id", .text)
            t.column("original_status", .text)
            t.column("direction", .text).notNull()
            t.column("outcome", .text).notNull()
            t.column("readable", .boolean).notNull()  // false: the document is not JSON any more
        }
        // One row per imported file, keyed by the SHA-256 of its bytes: importing the same file twice stores it once.
        try db.create(table: "snapshot") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("tenant", .text).notNull()
            t.column("taken_at", .text).notNull()  // UTCTimestamp.format: sorts as time
            t.column("taken_at_given", .boolean).notNull()  // false: the import time stands in
            t.column("imported_at", .text).notNull()
            t.column("file_name", .text).notNull()
            t.column("sha256", .text).notNull().unique()
            t.column("format", .text).notNull()
            t.column("rows", .integer).notNull()
            // `complete`: absence from this snapshot means "not bypassed"; `complete_given`: the admin said so.
            t.column("complete", .boolean).notNull()
            t.column("complete_given", .boolean).notNull()
        }
        try db.create(index: "snapshot_by_tenant_time", on: "snapshot", columns: ["tenant", "taken_at"])
        // The row's identity columns as the export wrote them; `bypass_enabled` NULL when unreadable (indeterminate).
        try db.create(table: "snapshot_row") { t in
            t.column("snapshot_id", .integer).notNull().references("snapshot", onDelete: .restrict)
            t.column("row", .integer).notNull()
            t.column("line", .integer).notNull()
            t.column("name", .text)
            t.column("identity", .text)
            t.column("distinguished_name", .text)
            t.column("guid", .text)
            t.column("exchange_object_id", .text)
            t.column("organization_id", .text)
            t.column("audit_bypass_enabled", .text)  // the raw cell, for the report of indeterminate rows
            t.column("bypass_enabled", .boolean)
            t.primaryKey(["snapshot_id", "row"])
        }
    }
}

extension InventorySchema {
    /// The log of `snapshot remove` and `snapshot redate`: who corrected which snapshot, when and why, with the
    /// snapshot's chained header as it was. No foreign key: a removed snapshot's row is gone, its log row stays.
    static func createSnapshotCorrection(_ db: Database) throws {
        try db.create(table: "snapshot_correction") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("snapshot_id", .integer).notNull()
            t.column("tenant", .text).notNull()
            t.column("action", .text).notNull()  // remove | redate
            t.column("at", .text).notNull()  // UTCTimestamp.format
            t.column("by", .text).notNull()
            t.column("reason", .text).notNull()
            t.column("taken_at_before", .text).notNull()
            t.column("taken_at_after", .text)  // redate only
            t.column("file_name", .text).notNull()
            t.column("sha256", .text).notNull()
            t.column("rows", .integer).notNull()
        }
        try db.create(index: "snapshot_correction_by_snapshot", on: "snapshot_correction", columns: ["snapshot_id"])
    }
}
