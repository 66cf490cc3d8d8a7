import Foundation
import GRDB

/// Edits a database file from outside the tool, as the tamper tests' attackers do.
///
/// A plain SQLite client can no longer write the chained tables (`WriteGuard`: "no such function"), so an attacker
/// first removes the guard, which the tool notices, or impersonates the tool, which only `verify` catches.
public enum OutsideEdit {
    /// Drops every write-guard trigger, then runs `sql` through an ordinary connection (no ledger entry).
    public static func run(_ path: String, _ sql: String) throws {
        try write(path) { db in try db.execute(sql: sql) }
    }

    /// Drops every write-guard trigger, then runs `body` in one transaction of an ordinary connection.
    public static func write<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.write { db in
            let triggers = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'write_guard_%'")
            for name in triggers { try db.execute(sql: "DROP TRIGGER \(name)") }
            return try body(db)
        }
    }

    /// Runs `sql` through a connection that registers a function named like the tool's guard function, so the
    /// triggers let the write through and the schema stays as it was: the one edit the guard cannot notice.
    public static func impersonatingTheTool(_ path: String, _ sql: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            db.add(function: DatabaseFunction("bypass_auditor_write_guard", argumentCount: 0, pure: true) { _ in nil })
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    /// Runs `sql` through a plain connection, guard left in place: what a casual edit with the `sqlite3` shell does.
    public static func plain(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.write { db in try db.execute(sql: sql) }
    }
}
