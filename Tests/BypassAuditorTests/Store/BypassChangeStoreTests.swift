import Foundation
import GRDB
import Testing

@testable import Core
@testable import Store

/// `BypassChangeStore.changes` reads `bypass_change` through its tenant/time index alone: these pin the order it
/// promises (event time, then insertion) and the ingest time standing in for a missing event time.
@Suite struct BypassChangeStoreTests {
    private static let tenant = TenantID("tenant-a")

    private static func event(id: String, at time: String?, action: String = ECSField.bypassCmdlet) -> AuditEvent {
        var fields: [String: FieldValue] = [
            "event.id": .string(id), "event.action": .string(action), "event.outcome": .string("success"),
            "organization.id": .string("tenant-a"), "o365.audit.Parameters.Identity": .string("svc-\(id)"),
            "o365.audit.Parameters.AuditBypassEnabled": .string("True"),
        ]
        if let time { fields["@timestamp"] = .string(time) }
        return AuditEvent(fields: fields)
    }

    @Test("oldest event time first; equal times keep the order the events were stored in, other events between")
    func ordersByTimeThenInsertion() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in
            try EventStore.insert(db, Self.event(id: "late", at: "2026-10-21T03:14:07.000Z"))
            try EventStore.insert(db, Self.event(id: "tie-2", at: "2026-10-05T07:10:00.000Z"))
            try EventStore.insert(db, Self.event(id: "other", at: "2026-10-01T00:00:00.000Z", action: "Set-Mailbox"))
            try EventStore.insert(db, Self.event(id: "tie-1", at: "2026-10-05T07:10:00.000Z"))
            try EventStore.insert(db, Self.event(id: "early", at: "2026-10-01T00:00:00.000Z"))
        }
        let changes = try database.read { db in try BypassChangeStore.changes(db, tenant: Self.tenant) }
        #expect(changes.map(\.eventID) == ["early", "tie-2", "tie-1", "late"])
        #expect(changes.map(\.effectiveTime) == changes.map(\.time))
        let all = try database.read { db in try BypassChangeStore.all(db) }
        #expect(all.map(\.eventID) == ["late", "tie-2", "tie-1", "early"], "all: insertion order")
        #expect(try database.read { db in try BypassChangeStore.changes(db, tenant: TenantID("tenant-b")) }.isEmpty)
    }

    @Test("the two parts, split three fifths into the timed changes with ties all in the later part, join into the whole read")
    func halvesJoinIntoTheWhole() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in
            try EventStore.insert(db, Self.event(id: "late", at: "2026-10-21T03:14:07.000Z"))
            try EventStore.insert(db, Self.event(id: "tie-2", at: "2026-10-05T07:10:00.000Z"))
            try EventStore.insert(db, Self.event(id: "untimed", at: nil))
            try EventStore.insert(db, Self.event(id: "tie-1", at: "2026-10-05T07:10:00.000Z"))
            try EventStore.insert(db, Self.event(id: "untimed-2", at: nil))
            try EventStore.insert(db, Self.event(id: "early", at: "2026-10-01T00:00:00.000Z"))
        }
        try database.read { db throws in
            let whole = try BypassChangeStore.changes(db, tenant: Self.tenant)
            let earlier = try BypassChangeStore.changes(db, tenant: Self.tenant, part: .earlier)
            let later = try BypassChangeStore.changes(db, tenant: Self.tenant, part: .later)
            // Changes without a time first, in the order they were stored, then the earlier times.
            #expect(earlier.map(\.eventID) == ["untimed", "untimed-2", "early"])
            #expect(later.map(\.eventID) == ["tie-2", "tie-1", "late"])
            #expect(Array(BypassChangeStore.joined(earlier: earlier, later: later)) == whole)
            // Each change's fields read in place, on either side of the parts' boundary.
            let list = BypassChangeStore.joined(earlier: earlier, later: later)
            #expect(list.indices.map { list[$0].fact.eventID } == whole.map(\.eventID))
            #expect(list.indices.map { list[$0].rowID } == whole.map(\.rowID))
            // A report's split: every change in the earlier part.
            let earlierOfAll = try BypassChangeStore.changes(db, tenant: Self.tenant, part: .earlier, split: .whole)
            let laterOfAll = try BypassChangeStore.changes(db, tenant: Self.tenant, part: .later, split: .whole)
            #expect(earlierOfAll == whole)
            #expect(laterOfAll.isEmpty)
            #expect(Array(BypassChangeStore.joined(earlier: earlierOfAll, later: laterOfAll)) == whole)
            let none = TenantID("tenant-b")
            #expect(try BypassChangeStore.changes(db, tenant: none, part: .earlier).isEmpty)
            #expect(try BypassChangeStore.changes(db, tenant: none, part: .later).isEmpty)
        }
        // Only changes without a time: all of them are the earlier half.
        let untimed = try StoreTestDatabase.make()
        try untimed.write { db in try EventStore.insert(db, Self.event(id: "untimed", at: nil)) }
        try untimed.read { db throws in
            let earlier = try BypassChangeStore.changes(db, tenant: Self.tenant, part: .earlier)
            #expect(earlier.map(\.eventID) == ["untimed"])
            #expect(try BypassChangeStore.changes(db, tenant: Self.tenant, part: .later).isEmpty)
        }
    }

    @Test("a change without an event time counts at its event's ingest time and sorts first")
    func missingTimeTakesTheIngestTime() throws {
        let database = try StoreTestDatabase.make()
        let ingestedAt = StoreTestDatabase.time(0)
        try database.write { db in
            try EventStore.insert(db, Self.event(id: "timed", at: "2026-10-05T07:10:00.000Z"))
            try EventStore.insert(db, Self.event(id: "untimed", at: nil), ingestedAt: ingestedAt)
        }
        let changes = try database.read { db in try BypassChangeStore.changes(db, tenant: Self.tenant) }
        #expect(changes.map(\.eventID) == ["untimed", "timed"])
        #expect(changes.first?.time == nil && changes.first?.effectiveTime == ingestedAt)
    }

    @Test("a change without an event time whose event row is gone is an error, not a guessed time")
    func missingTimeWithoutEventIsAnError() throws {
        let database = try StoreTestDatabase.make()
        try database.write { db in
            try EventStore.insert(db, Self.event(id: "untimed", at: nil))
            try db.execute(sql: "DELETE FROM event WHERE event_id = 'untimed'")
        }
        StoreTestDatabase.expectUndecodable(table: "event", column: "ingested_at") {
            _ = try database.read { db in try BypassChangeStore.changes(db, tenant: Self.tenant) }
        }
    }
}
