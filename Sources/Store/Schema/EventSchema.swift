import GRDB

/// Stored events, input files with their resume checkpoints, ingest runs and per-day data coverage.
enum EventSchema {
    static func createV1(_ db: Database) throws {
        // One row per input file. `identity` is device:inode for files (stdin gets a one-off identity); `head_digest`
        // over the first `head_length` bytes tells a replaced or rotated file that reuses the inode from the one we
        // read. `committed_offset` is the byte offset (in the decompressed stream) up to which every record is
        // committed, always a record boundary. A retired identity gets a `#retired-<id>` suffix.
        try db.create(table: "input_file") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("identity", .text).notNull().unique()
            t.column("head_digest", .text).notNull().defaults(to: "")
            t.column("head_length", .integer).notNull().defaults(to: 0)
            t.column("path", .text).notNull()
            t.column("format", .text)
            t.column("size", .integer)
            t.column("committed_offset", .integer).notNull().defaults(to: 0)
            t.column("committed_line", .integer).notNull().defaults(to: 0)
            t.column("records", .integer).notNull().defaults(to: 0)
            t.column("skipped", .integer).notNull().defaults(to: 0)
            t.column("completed", .boolean).notNull().defaults(to: false)
            t.column("first_seen_at", .text).notNull()
            t.column("updated_at", .text).notNull()
        }
        try db.create(table: "ingest_run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("started_at", .text).notNull()
            t.column("finished_at", .text)
            t.column("rule_set_digest", .text).notNull()
            t.column("rule_ids", .text).notNull()  // JSON array
            t.column("files", .integer).notNull().defaults(to: 0)
            t.column("records", .integer).notNull().defaults(to: 0)
            t.column("events_stored", .integer).notNull().defaults(to: 0)
            t.column("duplicates", .integer).notNull().defaults(to: 0)
            t.column("skipped", .integer).notNull().defaults(to: 0)
        }
        // Keyed by event.id: the same record from two exports is stored once.
        try db.create(table: "event") { t in
            t.primaryKey("event_id", .text)
            t.column("tenant", .text).notNull()
            t.column("timestamp", .text).notNull()  // UTCTimestamp.format: sorts as time
            t.column("ingested_at", .text).notNull()
            t.column("action", .text).notNull()
            t.column("outcome", .text).notNull()
            t.column("actor", .text)
            t.column("document", .text).notNull()  // AuditEvent.canonicalJSON()
            t.column("input_file_id", .integer).references("input_file")
            t.column("line", .integer)
            t.column("ingest_run_id", .integer).references("ingest_run")
        }
        try db.create(index: "event_by_action_time", on: "event", columns: ["tenant", "action", "timestamp"])
        try db.create(index: "event_by_time", on: "event", columns: ["timestamp"])
        // Records read per input file and UTC day, whether stored or not: "no data" versus "no bypass".
        try db.create(table: "coverage") { t in
            t.column("input_file_id", .integer).notNull().references("input_file")
            t.column("day", .text).notNull()
            t.column("records", .integer).notNull()
            t.primaryKey(["input_file_id", "day"])
        }
    }

    /// `checkpoint_digest`: SHA-256 of the (up to 4 KiB) bytes just before `committed_offset` of a plain file, so a
    /// file rewritten in place (`cat new > file`, same inode and head) is noticed and read again from the start
    /// instead of resumed in the middle of different bytes. NULL for gzip and standard input, and for rows written
    /// before this migration (they resume as before).
    static func addCheckpointDigest(_ db: Database) throws {
        try db.alter(table: "input_file") { t in
            t.add(column: "checkpoint_digest", .text)
        }
    }
}
