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

    /// Chains the rows findings rest on that v1 left outside the chain (other stored events, alerts, triage,
    /// coverage, collection gaps): existing rows are chained as they are at upgrade, in row order, so tampering
    /// from then on is found (what was changed before the upgrade cannot be told any more).
    static func chainEvidenceV4(_ db: Database) throws {
        for table in ChainedTable.chainedAtV4Upgrade {
            if table.kind == .storedEvent {
                try table.recordAll(
                    db, where: "NOT EXISTS (SELECT 1 FROM ledger m WHERE m.kind = ? AND m.ref = t.event_id)",
                    arguments: [Ledger.Kind.bypassChange.rawValue])
            } else {
                try table.recordAll(db)
            }
        }
    }

    /// "v5-chained-register": chains the register observations and entry-level changes stored before, so deleting
    /// one (which would hide a direct edit) fails `verify`; from then on each is chained as it is written.
    static func chainRegisterV5(_ db: Database) throws {
        for table in ChainedTable.chainedAtV5Upgrade { try table.recordAll(db) }
    }

    /// "v6-write-guard": the verification checkpoint and the triggers that block writes to the chained history from
    /// any connection but the tool's (`WriteGuard`, `VerificationCheckpoint`). Existing rows are not re-verified here:
    /// the checkpoint starts empty, so the first `drift` or `report` after the upgrade verifies the chain in full.
    static func guardWritesV6(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE integrity_checkpoint (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    verified_through_seq INTEGER,
                    verified_head TEXT,
                    verified_at TEXT,
                    schema_fingerprint TEXT NOT NULL
                )
                """)
        try WriteGuard.install(db, tables: WriteGuard.guardedAtV6)
    }
}
