import Core
import Foundation
import GRDB

/// Triggers that stop any connection but the tool's from writing the chained history.
///
/// Every table `verify` holds to the hash chain carries `BEFORE INSERT/UPDATE/DELETE` triggers that call
/// `bypass_auditor_write_guard()`, a SQL function only the tool's connections register (`AuditDatabase`). In any
/// other client (the `sqlite3` shell, a script) the statement fails before it runs: "no such function". What the
/// guard buys is speed with the same assurance: while it stays exactly as the tool installed it (same triggers in an
/// unchanged schema, `schemaFingerprint`), no row can have changed since the last full verification, so `drift` and `report`
/// need not re-verify the whole chain each run (`VerificationCheckpoint`). Removing or re-creating a trigger changes
/// the schema's fingerprint and sends them back to a full verification.
///
/// What it cannot stop, and what only `verify` (and `verify --expect-head` against a published head) then finds:
/// someone who registers a function of the same name in their own client, or who drops the triggers, edits, puts
/// every object after them back in the same order (rebuilding the tables they drop); that is, someone deliberately
/// impersonating the tool.
public enum WriteGuard {
    /// The SQL function the triggers call. Its name is the message a blocked client sees ("no such function").
    static let functionName = "bypass_auditor_write_guard"

    /// Registered on every connection the tool opens: it allows the write and returns nothing.
    static let function = DatabaseFunction(functionName, argumentCount: 0, pure: true) { _ in nil }

    /// The tables guarded by `v6-write-guard`: each table a chained entry stands for, the chain itself and the
    /// verification checkpoint. Frozen with that migration; a table chained later adds a migration guarding it.
    static let guardedAtV6 = [
        "ledger", "event", "bypass_change", "snapshot", "snapshot_row", "snapshot_correction", "allowlist_version",
        "allowlist_version_delta", "allowlist_edit", "alert", "alert_triage", "coverage", "activity_feed_gap",
        "allowlist_observation", "allowlist_change", "integrity_checkpoint",
    ]

    /// The table `v8-register-parse` adds: the stored parse of register versions, which `verify` holds to the
    /// versions' text.
    static let guardedAtV8 = ["allowlist_parse"]

    /// Every guarded table, over all migrations.
    public static let guardedTables = guardedAtV6 + guardedAtV8

    static let operations = ["INSERT", "UPDATE", "DELETE"]

    static func triggerName(table: String, operation: String) -> String {
        "write_guard_\(table)_\(operation.lowercased())"
    }

    /// The trigger's exact text, as `sqlite_master` keeps it: the check compares it byte for byte.
    static func triggerSQL(table: String, operation: String) -> String {
        "CREATE TRIGGER \(triggerName(table: table, operation: operation)) BEFORE \(operation) ON \(table) "
            + "BEGIN SELECT \(functionName)(); END"
    }

    /// Creates the guard triggers of `tables`.
    static func install(_ db: Database, tables: [String]) throws {
        for table in tables {
            for operation in operations { try db.execute(sql: triggerSQL(table: table, operation: operation)) }
        }
    }

    /// How the guard stands now: which triggers are missing, and which were altered.
    public struct Standing: Sendable, Hashable, Codable {
        /// Guard triggers absent from the schema (dropped outside the tool).
        public var missing: [String]
        /// Guard triggers whose text is not the tool's.
        public var altered: [String]
        /// True when every trigger is there exactly as the tool installed it.
        public var intact: Bool { missing.isEmpty && altered.isEmpty }
    }

    /// Compares the schema's triggers with the guard the tool installed.
    public static func standing(_ db: Database) throws -> Standing {
        var stored: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'") {
            stored[row["name"]] = row["sql"]
        }
        var standing = Standing(missing: [], altered: [])
        for trigger in try expectedTriggers(db) {
            switch stored[trigger.name] {
            case nil: standing.missing.append(trigger.name)
            case let sql? where sql != trigger.sql: standing.altered.append(trigger.name)
            default: break
            }
        }
        return standing
    }

    /// Puts back triggers that are missing or altered: only after a full verification found every row as chained.
    /// Reads the guard's standing in the caller's transaction first, which also makes SQLite load a schema another
    /// connection changed (it checks for an existing trigger against the schema it last loaded).
    static func restore(_ db: Database) throws {
        let standing = try standing(db)
        let replaced = Set(standing.missing + standing.altered)
        for name in standing.altered { try db.execute(sql: "DROP TRIGGER \(name)") }
        for trigger in try expectedTriggers(db) where replaced.contains(trigger.name) {
            try db.execute(sql: trigger.sql)
        }
    }

    /// The guard's triggers (name and exact text) for every guarded table this database holds, read with one query
    /// (`standing` runs before every `drift` and `report`).
    private static func expectedTriggers(_ db: Database) throws -> [(name: String, sql: String)] {
        let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table'"))
        return guardedTables.filter(tables.contains).flatMap { table in
            operations.map { operation in
                (triggerName(table: table, operation: operation), triggerSQL(table: table, operation: operation))
            }
        }
    }

    /// A digest of the whole schema as `sqlite_schema` holds it, each object's row number and root page included:
    /// dropping a trigger and creating it again, or any other schema change, yields another digest. (Not
    /// `PRAGMA schema_version`: GRDB creates and drops a table each time it opens a pool on a file without a WAL,
    /// which moves that counter but leaves no object behind.)
    static func schemaFingerprint(_ db: Database) throws -> String {
        var text = ""
        let rows = try Row.fetchAll(
            db, sql: "SELECT rowid, type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid")
        for row in rows {
            let fields: [String] = [
                String(row[0] as Int64), row[1] ?? "", row[2] ?? "", row[3] ?? "", String(row[4] as Int64? ?? 0),
                row[5] ?? "",
            ]
            text += fields.joined(separator: "\u{1F}") + "\u{1E}"
        }
        return SHA256Digest.hex(of: Data(text.utf8))
    }
}
