import Foundation
import GRDB
import Testing

@testable import Store

/// A file not yet in WAL mode is opened under the migration lock (processes switching it at once deadlock in
/// SQLite): `isWALDatabase` tells such a file from one the tool has already set up.
@Suite struct WALOpeningTests {
    @Test("missing, empty and rollback-journal files are not WAL databases; a database the tool opened is")
    func tellsWALDatabasesApart() throws {
        let folder = try TestPaths.temporaryDirectory()
        let missing = folder.appendingPathComponent("missing.sqlite").path
        #expect(!AuditDatabase.isWALDatabase(missing))

        let empty = folder.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect(!AuditDatabase.isWALDatabase(empty))

        let rollback = folder.appendingPathComponent("rollback.sqlite").path
        try DatabaseQueue(path: rollback).write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        #expect(!AuditDatabase.isWALDatabase(rollback))

        let opened = folder.appendingPathComponent("opened.sqlite").path
        _ = try AuditDatabase(path: opened)
        #expect(AuditDatabase.isWALDatabase(opened))
        #expect(!FileManager.default.fileExists(atPath: opened + "-migrate.lock"), "the lock file is removed")
    }

    @Test("a rollback-journal file is switched to WAL and migrated when the tool opens it")
    func rollbackFileIsSetUp() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("old.sqlite").path
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE unrelated (x)") }
        let database = try AuditDatabase(path: path)
        #expect(AuditDatabase.isWALDatabase(path))
        #expect(try database.read { db in try AuditSchema.migrator.hasCompletedMigrations(db) })
    }
}
