import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Store

@Suite("Store: what drift asks of a tenant's alerts over its window")
struct AlertWindowQueriesTests {
    typealias F = DetectionFixtures
    static let other = "00000000-0000-0000-0000-000000000001"

    /// Alerts on events at base, base + 1 min (a failed attempt), base + 2 min (a removal) and one of another
    /// tenant at base; the first alert triaged.
    func database() throws -> (AuditDatabase, [Alert]) {
        let database = try F.database()
        try F.insert(
            [
                F.bypass(id: "first", enabled: true),
                F.bypass(id: "failed", enabled: true, outcome: .failure, at: F.base.addingTimeInterval(60)),
                F.bypass(id: "removed", enabled: false, at: F.base.addingTimeInterval(120)),
                F.event(id: "theirs", parameters: ["Identity": "x", "AuditBypassEnabled": "True"], tenant: Self.other),
            ], into: database)
        let alerts = try Detector(database: database, rules: try F.shippedRules()).run(now: F.base, ranAt: F.base)
            .newAlerts
        let first = try #require(alerts.first { $0.eventID == "first" })
        try database.write { db in
            _ = try AlertStore.acknowledge(db, alertID: first.id, by: "soc", note: "known", at: F.base)
            _ = try AlertStore.acknowledge(db, alertID: first.id, by: "soc", note: "again", at: F.base)
        }
        return (database, alerts)
    }

    @Test("the window is closed at both ends, to the millisecond, and holds one tenant's alerts")
    func windowBounds() throws {
        let (database, _) = try database()
        let tenant = TenantID(F.tenant)
        let signal = DetectionSignal.bypassChange.rawValue
        try database.read { db throws in
            let all = F.base...F.base.addingTimeInterval(120)
            #expect(try AlertRecords.eventKeys(db, tenant: tenant, signal: signal, within: all) == [EventKey("first"), EventKey("removed")])
            let endsBefore = F.base...F.base.addingTimeInterval(119.999)
            #expect(try AlertRecords.eventKeys(db, tenant: tenant, signal: signal, within: endsBefore) == [EventKey("first")])
            // A bound between two milliseconds: the event at the earlier one is outside, at the later one inside.
            let startsAfter = F.base.addingTimeInterval(0.0005)...F.base.addingTimeInterval(120.0004)
            #expect(try AlertRecords.eventKeys(db, tenant: tenant, signal: signal, within: startsAfter) == [EventKey("removed")])
            #expect(try AlertRecords.newestEventTime(db, tenant: tenant, within: all) == F.base.addingTimeInterval(120))
            #expect(try AlertRecords.newestEventTime(db, tenant: tenant, within: endsBefore) == F.base.addingTimeInterval(60))
            let before = F.base.addingTimeInterval(-60)...F.base.addingTimeInterval(-1)
            #expect(try AlertRecords.newestEventTime(db, tenant: tenant, within: before) == nil)
            #expect(try AlertRecords.eventKeys(db, tenant: TenantID(Self.other), signal: signal, within: all) == [EventKey("theirs")])
        }
    }

    @Test("untriaged counts the alerts of the signals asked for that have no triage row, however many rows the others have")
    func untriaged() throws {
        let (database, alerts) = try database()
        let tenant = TenantID(F.tenant)
        let idOf = Dictionary(alerts.map { ($0.eventID, $0.id) }, uniquingKeysWith: { first, _ in first })
        let all = F.base...F.base.addingTimeInterval(120)
        let signals = [DetectionSignal.bypassChange, .bypassFailedAttempt].map(\.rawValue)
        try database.read { db throws in
            let both = try AlertRecords.untriaged(db, tenant: tenant, signals: signals, within: all, firstFew: 10)
            #expect(both.count == 2)
            #expect(both.firstIDs == [idOf["failed"], idOf["removed"]].compactMap { $0 })
            let firstOnly = try AlertRecords.untriaged(db, tenant: tenant, signals: signals, within: all, firstFew: 1)
            #expect(firstOnly.count == 2)
            #expect(firstOnly.firstIDs == [idOf["failed"]].compactMap { $0 })
            let changes = try AlertRecords.untriaged(
                db, tenant: tenant, signals: [signals[0]], within: all, firstFew: 10)
            #expect(changes.count == 1)
        }
    }

    @Test("references by event read the tenant's alerts of those events up to an id, in event order")
    func referencesByEvent() throws {
        let (database, alerts) = try database()
        let tenant = TenantID(F.tenant)
        try database.read { db throws in
            let newest = try AlertRecords.newestID(db)
            #expect(newest == alerts.map(\.id).max())
            let read = try AlertStore.references(
                db, tenant: tenant, raisedOn: ["removed", "first", "theirs", "unknown"], throughID: newest)
            #expect(read.map(\.eventID) == ["first", "removed"])
            #expect(read.map(\.triaged) == [true, false])
            let mine = try AlertStore.alerts(db, tenant: tenant, from: nil, to: nil).map(AlertReference.init)
            #expect(read == mine.filter { ["first", "removed"].contains($0.eventID) })
            let removed = try #require(read.last)
            let earlier = try AlertStore.references(
                db, tenant: tenant, raisedOn: ["removed", "first"], throughID: removed.id - 1)
            #expect(earlier.map(\.eventID) == ["first"], "an alert raised after the judged state is not cited")
            // Past one chunk of bound parameters.
            let many = (0..<1_200).map { "missing-\($0)" } + ["first"]
            #expect(try AlertStore.references(db, tenant: tenant, raisedOn: many, throughID: newest).map(\.eventID) == ["first"])
        }
    }
}
