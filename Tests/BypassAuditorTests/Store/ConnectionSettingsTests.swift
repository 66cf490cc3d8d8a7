import Foundation
import GRDB
import Testing

@testable import Store

/// What each connection of a database the tool opens is set up with.
@Suite struct ConnectionSettingsTests {
    @Test("the writing connection has the large page cache; the reading connections keep SQLite's default")
    func pageCaches() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("audit.sqlite").path
        let database = try AuditDatabase(path: path)
        let writer = try database.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
        let reader = try database.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") }
        #expect(writer == -AuditDatabase.writerPageCacheKiB)
        #expect(reader == -2000, "SQLite's default: drift and report read through these connections")
        let synchronous = try database.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 1, "NORMAL: safe in WAL mode, a commit does not wait for the disk twice")
    }
}
