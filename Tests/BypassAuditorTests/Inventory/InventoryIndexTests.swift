import Foundation
import GRDB
import Testing

@testable import BypassAuditor

@Suite("The inventory's projection of bypass events")
struct InventoryIndexTests {
    typealias Support = InventoryTestSupport

    static func events() -> [AuditEvent] {
        var list = Support.bypassEvent(id: "list", at: "2026-01-03T00:00:00.1234567Z", identity: nil)
        list[ECSField.parametersPrefix + "Identity"] = .list([.string("svc-list"), .string("other")])
        var numbers = Support.bypassEvent(id: "numbers", at: "2026-01-04T00:00:00Z", identity: "svc-num", enabled: nil)
        numbers[ECSField.parametersPrefix + "AuditBypassEnabled"] = .bool(false)
        numbers[ECSField.userID] = .integer(42)
        return [
            Support.bypassEvent(id: "a", at: "2026-01-01T00:00:00Z", objectID: "contoso.onmicrosoft.com/svc-backup"),
            Support.bypassEvent(id: "b", at: "2026-01-02T00:00:00Z", outcome: nil, resultStatus: "Failed", clientIP: nil),
            list, numbers,
            Support.bypassEvent(id: "no-time", at: "yesterday"),
        ]
    }

    @Test("projected and unprojected events give the same inventory; refresh projects each event once")
    func sameViewEitherWay() throws {
        let database = try Support.database()
        try Support.store(Self.events(), in: database, ingestedAt: Support.time("2026-05-01T00:00:00Z"))
        let fromDocuments = try Support.view(database, asOf: "2026-06-01")
        let added = try database.write { db in try InventoryIndex.refresh(db) }
        #expect(added == 5)
        #expect(try database.write { db in try InventoryIndex.refresh(db) } == 0)
        let fromProjection = try Support.view(database, asOf: "2026-06-01")
        #expect(fromProjection == fromDocuments)
        #expect(fromProjection.only("svc-list")?.bypassEnabled == true)
        #expect(fromProjection.only("svc-num")?.changes.first?.actor == "42")
        // A record without an event time is placed at its ingest time.
        #expect(fromProjection.indeterminateChanges.map(\.eventID) == ["no-time"])
        #expect(try Support.view(database, asOf: "2026-04-30").indeterminateChanges.isEmpty)
        #expect(try database.read { db in try ChainVerifier.verify(db) }.ok)
    }

    @Test("projecting at insert time (the ingest hook) stores what refresh would")
    func recordHookMatchesRefresh() throws {
        let hooked = try Support.database()
        let ingestedAt = Support.time("2026-02-01T00:00:00Z")
        try hooked.write { db in
            for event in Self.events() {
                try EventStore.insert(db, event, ingestedAt: ingestedAt)
                try InventoryIndex.record(db, event: event, rowID: db.lastInsertedRowID, ingestedAt: ingestedAt)
            }
        }
        #expect(try hooked.write { db in try InventoryIndex.refresh(db) } == 0)
        let refreshed = try Support.database()
        try refreshed.write { db in
            for event in Self.events() { try EventStore.insert(db, event, ingestedAt: ingestedAt) }
            try InventoryIndex.refresh(db)
        }
        let query = "SELECT * FROM bypass_record ORDER BY event_rowid"
        let left = try hooked.read { db in try Row.fetchAll(db, sql: query) }
        let right = try refreshed.read { db in try Row.fetchAll(db, sql: query) }
        #expect(left == right)
        #expect(try hooked.read { db in try ChainVerifier.verify(db) }.ok)
    }

    @Test("an event stored after a refresh is read from its document until the next one")
    func lateEvents() throws {
        let database = try Support.database()
        try Support.store([Support.bypassEvent(id: "on", at: "2026-01-01T00:00:00Z")], in: database)
        _ = try database.write { db in try InventoryIndex.refresh(db) }
        try Support.store(
            [Support.bypassEvent(id: "off", at: "2026-01-02T00:00:00Z", enabled: "False")], in: database,
            ingestedAt: Date().addingTimeInterval(10))
        #expect(try Support.view(database).only("svc-backup")?.bypassEnabled == false)
    }
}
