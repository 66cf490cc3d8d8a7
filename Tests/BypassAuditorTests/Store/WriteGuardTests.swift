import Foundation
import GRDB
import Testing
import TestSupport

@testable import Store

/// The write guard: a plain SQLite client cannot write the chained history, and the guard's state is read exactly.
@Suite("Write guard on the chained tables")
struct WriteGuardTests {
    @Test("a plain SQLite connection can neither insert, update nor delete a guarded row; the tool's own can")
    func blocksPlainClients() throws {
        let database = try StoreTestDatabase.make()
        let tables = try database.read { db in try WriteGuard.guardedTables.filter { try db.tableExists($0) } }
        #expect(tables.count == WriteGuard.guardedTables.count, "every guarded table exists in a new database")
        for table in tables {
            for sql in ["INSERT INTO \(table) DEFAULT VALUES", "UPDATE \(table) SET rowid = rowid", "DELETE FROM \(table)"] {
                let error = #expect(throws: DatabaseError.self, "\(sql)") { try OutsideEdit.plain(database.path, sql) }
                #expect(error?.message?.contains("no such function: bypass_auditor_write_guard") == true, "\(sql)")
            }
        }
        // The tool's connection registers the function: the same delete runs (on an empty table, harmlessly).
        try database.write { db in try db.execute(sql: "DELETE FROM alert_triage") }
        #expect(try database.read { db in try WriteGuard.standing(db) }.intact)
    }

    @Test("a dropped trigger reads as missing, an edited one as altered, and restoring puts both back")
    func standingNamesMissingAndAltered() throws {
        let database = try StoreTestDatabase.make()
        try OutsideEdit.run(database.path, "SELECT 1")  // drops every guard trigger
        let dropped = try database.read { db in try WriteGuard.standing(db) }
        #expect(dropped.missing.count == WriteGuard.guardedTables.count * 3 && dropped.altered.isEmpty)

        try database.write { db in try WriteGuard.restore(db) }
        try OutsideEdit.impersonatingTheTool(
            database.path,
            "DROP TRIGGER write_guard_event_delete; CREATE TRIGGER write_guard_event_delete BEFORE DELETE ON event BEGIN SELECT 1; END")
        let altered = try database.read { db in try WriteGuard.standing(db) }
        #expect(altered.missing.isEmpty && altered.altered == ["write_guard_event_delete"])

        try database.write { db in try WriteGuard.restore(db) }
        #expect(try database.read { db in try WriteGuard.standing(db) }.intact)
        #expect(throws: DatabaseError.self) { try OutsideEdit.plain(database.path, "DELETE FROM event") }
    }

    @Test("the schema fingerprint survives reopening without a WAL file but not a trigger dropped and re-created")
    func fingerprint() throws {
        var database: AuditDatabase? = try StoreTestDatabase.make()
        let path = try #require(database?.path)
        let before = try #require(try database?.read { db in try WriteGuard.schemaFingerprint(db) })
        // Closing the last connection removes the WAL; GRDB then creates and drops a table when it opens a pool on
        // the file again, which leaves no trace in the schema.
        database = nil
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let reopened = try AuditDatabase(path: path)
        #expect(try reopened.read { db in try WriteGuard.schemaFingerprint(db) } == before)

        let sql = WriteGuard.triggerSQL(table: "event", operation: "DELETE")
        try OutsideEdit.impersonatingTheTool(path, "DROP TRIGGER write_guard_event_delete; \(sql)")
        let after = try reopened.read { db in try WriteGuard.schemaFingerprint(db) }
        #expect(after != before)
        #expect(try reopened.read { db in try WriteGuard.standing(db) }.intact, "the text alone is the same again")
    }
}
