import GRDB

/// The history hash chain (see `Ledger`).
enum IntegritySchema {
    static func createV1(_ db: Database) throws {
        try db.create(table: "ledger") { t in
            t.autoIncrementedPrimaryKey("seq")
            t.column("kind", .text).notNull()
            t.column("ref", .text).notNull()
            t.column("content", .text).notNull()
            t.column("prev_hash", .text).notNull()
            t.column("hash", .text).notNull()
            t.column("recorded_at", .text).notNull()
        }
        try db.create(index: "ledger_by_ref", on: "ledger", columns: ["kind", "ref"])
    }
}
