import Core
import Foundation
import GRDB

/// The newest full verification of the chain that passed, and the schema the write guard stood in then
/// (`integrity_checkpoint`, one row).
///
/// While the guard stays intact and the schema unchanged, no connection but the tool's can have written a
/// chained row since that verification, so it still stands and `drift` and `report` need not repeat it
/// (`WriteGuard` says what that assumes). A database created by this version stands from the start (verified
/// through the empty chain); one upgraded from before the guard, or whose guard was touched, must be verified in
/// full once, and that verification records a new checkpoint.
public struct VerificationCheckpoint: Sendable, Hashable, Codable {
    /// The newest entry covered (0: the empty chain).
    public var verifiedThroughSeq: Int64
    /// That entry's hash (`Ledger.genesis` for the empty chain).
    public var verifiedHead: String
    public var verifiedAt: Date

    static let tableName = "integrity_checkpoint"
}

extension VerificationCheckpoint {
    /// The checkpoint when it still stands: the guard intact, the schema the one recorded, and the entry it
    /// covers still carrying its hash. Nil when a full verification is needed.
    public static func standing(_ db: Database) throws -> VerificationCheckpoint? {
        guard try db.tableExists(tableName),
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT verified_through_seq, verified_head, verified_at, schema_fingerprint
                    FROM integrity_checkpoint WHERE id = 1
                    """),
            let seq: Int64 = row["verified_through_seq"], let head: String = row["verified_head"],
            let atText: String = row["verified_at"], let verifiedAt = UTCTimestamp.parse(atText),
            let fingerprint: String = row["schema_fingerprint"]
        else { return nil }
        guard try WriteGuard.schemaFingerprint(db) == fingerprint, try WriteGuard.standing(db).intact else { return nil }
        guard try Ledger.hash(atSeq: seq, db) == head else { return nil }
        return VerificationCheckpoint(verifiedThroughSeq: seq, verifiedHead: head, verifiedAt: verifiedAt)
    }

    /// Records a full verification that passed, covering the chain through `seq` (whose entry is `head`): puts back
    /// guard triggers found missing or altered first (the verification just showed no row changed), then stores
    /// the schema that results. Does nothing when the entry at `seq` no longer has that hash.
    public static func record(_ db: Database, throughSeq seq: Int64, head: String, at time: Date) throws {
        guard try db.tableExists(tableName) else { return }
        guard try Ledger.hash(atSeq: seq, db) == head else { return }
        try WriteGuard.restore(db)
        try store(db, seq: seq, head: head, at: time)
    }

    /// After migrations ran on an existing file: a checkpoint that stood before them stands after (only the tool
    /// changed the schema), with the new schema's fingerprint; otherwise the chain must be verified in full once. A file
    /// the migrations created holds nothing yet: it stands, verified through the empty chain.
    static func afterMigrating(_ db: Database, stoodBefore: Bool, created: Bool) throws {
        guard try db.tableExists(tableName) else { return }
        if created {
            try store(db, seq: 0, head: Ledger.genesis, at: Date())
        } else if stoodBefore {
            try db.execute(
                sql: "UPDATE integrity_checkpoint SET schema_fingerprint = ? WHERE id = 1",
                arguments: [try WriteGuard.schemaFingerprint(db)])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO integrity_checkpoint (id, verified_through_seq, verified_head, verified_at, schema_fingerprint)
                    VALUES (1, NULL, NULL, NULL, ?)
                    ON CONFLICT (id) DO UPDATE SET verified_through_seq = NULL, verified_head = NULL,
                        verified_at = NULL, schema_fingerprint = excluded.schema_fingerprint
                    """, arguments: [try WriteGuard.schemaFingerprint(db)])
        }
    }

    private static func store(_ db: Database, seq: Int64, head: String, at time: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO integrity_checkpoint (id, verified_through_seq, verified_head, verified_at, schema_fingerprint)
                VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET verified_through_seq = excluded.verified_through_seq,
                    verified_head = excluded.verified_head, verified_at = excluded.verified_at,
                    schema_fingerprint = excluded.schema_fingerprint
                """, arguments: [seq, head, UTCTimestamp.format(time), try WriteGuard.schemaFingerprint(db)])
    }
}
