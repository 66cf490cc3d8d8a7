import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Store

@Suite struct EventStoreTests {
    static func bypassEvent(id: String, at time: String, identity: String = "svc-backup", enabled: Bool = true) -> AuditEvent {
        AuditEvent(fields: [
            "event.id": .string(id), "@timestamp": .string(time), "event.action": .string(ECSField.bypassCmdlet),
            "event.outcome": .string("success"), "organization.id": .string("tenant-a"),
            "o365.audit.Parameters.Identity": .string(identity),
            "o365.audit.Parameters.AuditBypassEnabled": .string(enabled ? "True" : "False"),
        ])
    }

    @Test func storesEachEventIdOnceAndChainsBypassChanges() throws {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        let first = Self.bypassEvent(id: "e1", at: "2026-10-05T07:10:00.000Z")
        let other = AuditEvent(fields: [
            "event.id": .string("e2"), "@timestamp": .string("2026-10-01T00:00:00.000Z"), "event.action": .string("Set-Mailbox"),
        ])
        let (new, again, otherNew) = try database.write { db in
            (try EventStore.insert(db, first), try EventStore.insert(db, first), try EventStore.insert(db, other))
        }
        #expect(new != nil && again == nil && otherNew != nil && new != otherNew)
        let ledgerRows = try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ledger") }
        #expect(ledgerRows == 2, "each stored event is chained once")
        let kinds = try database.read { db in try String.fetchAll(db, sql: "SELECT kind FROM ledger ORDER BY seq") }
        #expect(kinds == ["bypass-event", "stored-event"])
        // The bypass change was derived and stored with the event; the other event has none.
        let changes = try database.read { db in try BypassChangeStore.all(db) }
        #expect(changes.map(\.eventID) == ["e1"] && changes.first?.rowID == new)
        #expect(changes.first?.fact == BypassChangeFact(event: first))
    }

    @Test("the bypass change is written in the event's transaction: a rolled-back insert leaves neither")
    func bypassChangeSharesTheEventTransaction() throws {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try database.write { db in
                try EventStore.insert(db, Self.bypassEvent(id: "e1", at: "2026-10-05T07:10:00.000Z"))
                #expect(try BypassChangeStore.all(db).count == 1)
                throw Abort()
            }
        }
        let counts = try database.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event"), try BypassChangeStore.all(db).count)
        }
        #expect(counts.0 == 0 && counts.1 == 0)
    }

    @Test func listsByEventTimeNotInsertionOrder() throws {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        try database.write { db in
            try EventStore.insert(db, Self.bypassEvent(id: "late", at: "2026-10-21T03:14:07.000Z"))
            try EventStore.insert(db, Self.bypassEvent(id: "early", at: "2026-10-05T07:10:00.000Z"))
        }
        let events = try database.read { db in try EventStore.events(db, tenant: TenantID("tenant-a"), action: ECSField.bypassCmdlet) }
        #expect(events.map(\.event.id) == ["early", "late"])
        #expect(events.allSatisfy { $0.event.string(ECSField.ingested) != nil }, "ingest time is recorded as event.ingested")
        let afterFirst = try database.read { db in try EventStore.events(insertedAfter: events[1].rowID, db) }
        #expect(afterFirst.map(\.event.id) == ["early"])
        let window = try database.read { db in
            try EventStore.events(db, from: UTCTimestamp.parse("2026-10-10T00:00:00Z"), to: UTCTimestamp.parse("2026-11-01T00:00:00Z"))
        }
        #expect(window.map(\.event.id) == ["late"])
    }

    @Test func ledgerChainsEachEntryToTheOneBefore() throws {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        try database.write { db in
            try EventStore.insert(db, Self.bypassEvent(id: "a", at: "2026-10-05T07:10:00.000Z"))
            try EventStore.insert(db, Self.bypassEvent(id: "b", at: "2026-10-05T07:55:00.000Z"))
        }
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT * FROM ledger ORDER BY seq") }
        #expect(rows.count == 2)
        #expect(rows[0]["prev_hash"] as String == Ledger.genesis)
        #expect(rows[1]["prev_hash"] as String == rows[0]["hash"] as String)
        for row in rows {
            let expected = Ledger.chainHash(previous: row["prev_hash"], kind: row["kind"], ref: row["ref"], content: row["content"])
            #expect(row["hash"] as String == expected)
        }
        #expect(try database.read(Ledger.head) == rows[1]["hash"] as String)
    }

    @Test func coverageAddsUpPerDay() throws {
        let folder = try TestPaths.temporaryDirectory()
        let database = try AuditDatabase(path: folder.appendingPathComponent("db.sqlite").path)
        let day = try #require(UTCDay("2026-10-05"))
        try database.write { db in
            try db.execute(sql: "INSERT INTO input_file (identity, path, first_seen_at, updated_at) VALUES ('x', 'x', '', '')")
            let file = db.lastInsertedRowID
            try CoverageStore.add(db, inputFileID: file, counts: [day: 3])
            try CoverageStore.add(db, inputFileID: file, counts: [day: 4, day.advanced(by: 2): 1])
        }
        let counts = try database.read { db in try CoverageStore.recordsPerDay(db, from: day, through: day.advanced(by: 3)) }
        #expect(counts == [day: 7, day.advanced(by: 2): 1])
        let gaps = try database.read { db in try CoverageStore.daysWithoutData(db, from: day, through: day.advanced(by: 3)) }
        #expect(gaps == [day.advanced(by: 1), day.advanced(by: 3)])
    }

    @Test func reopeningKeepsDataAndMigrationsAreIdempotent() throws {
        let folder = try TestPaths.temporaryDirectory()
        let path = folder.appendingPathComponent("db.sqlite").path
        do {
            let database = try AuditDatabase(path: path)
            try database.write { db in try EventStore.insert(db, Self.bypassEvent(id: "kept", at: "2026-10-05T07:10:00.000Z")) }
        }
        let reopened = try AuditDatabase(path: path)
        #expect(try reopened.read { db in try EventStore.event(id: "kept", db) } != nil)
    }

    @Test func anUnopenableDatabaseSaysWhichFile() throws {
        #expect(throws: StoreError.self) { try AuditDatabase(path: "/nonexistent-folder/x/db.sqlite") }
    }
}
