import Foundation
import GRDB
import Testing

@testable import Core
@testable import Store

/// Store's records for the Detection tables: alerts and triage, deliveries, the detection cursor and runs.
@Suite struct DetectionRecordsTests {
    typealias T = StoreTestDatabase

    static func run(_ db: Database, at seconds: Int = 0) throws -> Int64 {
        try DetectionRunRecords.begin(
            db,
            DetectionRunRow(
                id: 0, ranAt: T.time(seconds), now: T.time(seconds), mode: "catch-up", evaluatedThrough: nil,
                eventsEvaluated: 3, alertsRaised: 0, heldBack: 0, deferred: 0, ruleSetDigest: "digest",
                ruleIDs: ["b-rule", "a-rule"]))
    }

    static func alert(rule: String = "rule-1", event: String, tenant: String = "tenant-a", at seconds: Int, runID: Int64)
        -> AlertRow
    {
        AlertRow(
            id: 0, ruleID: rule, ruleName: "Rule", severity: .high, riskScore: 73, signal: "bypass-change",
            tenant: tenant, eventID: event, eventTime: T.time(seconds), actor: "admin\0-x", target: "svc-backup",
            objectID: nil, outcome: .success, direction: .enabled, raisedAt: T.time(1000), runID: runID)
    }

    @Test("an alert is stored once per (rule, event), chained, and read back as written")
    func alertsAreUniqueChainedAndRoundTrip() throws {
        let database = try T.make()
        let (first, again, other, chained) = try database.write { db in
            let runID = try Self.run(db)
            let first = try AlertRecords.insertIfNew(db, Self.alert(event: "e1", at: 10, runID: runID))
            let again = try AlertRecords.insertIfNew(db, Self.alert(event: "e1", at: 10, runID: runID))
            let other = try AlertRecords.insertIfNew(db, Self.alert(rule: "rule-2", event: "e1", at: 10, runID: runID))
            return (first, again, other, try T.ledgerEntries(db, kind: .alert))
        }
        #expect(first != nil && again == nil && other != nil && first != other)
        #expect(chained == 2, "each stored alert is chained once")
        let firstID = try #require(first)
        let stored = try #require(try database.read { db in try AlertRecords.alert(id: firstID, db) })
        var expected = Self.alert(event: "e1", at: 10, runID: stored.alert.runID)
        expected.id = firstID
        #expect(stored.alert == expected, "the NUL in the actor survives")
        #expect(stored.latestTriage == nil)
        #expect(try database.read { db in try AlertRecords.hasAlerted(db, ruleID: "rule-2", eventID: "e1") })
        #expect(try !database.read { db in try AlertRecords.hasAlerted(db, ruleID: "rule-3", eventID: "e1") })
    }

    @Test("alerts narrow by tenant and event time [from, to), oldest event first; a run's alerts in raised order")
    func alertReadsFilterAndOrder() throws {
        let database = try T.make()
        let runIDs = try database.write { db in
            let first = try Self.run(db)
            let second = try Self.run(db, at: 1)
            _ = try AlertRecords.insertIfNew(db, Self.alert(event: "late", at: 30, runID: first))
            _ = try AlertRecords.insertIfNew(db, Self.alert(event: "early", at: 10, runID: first))
            _ = try AlertRecords.insertIfNew(db, Self.alert(event: "other", tenant: "tenant-b", at: 20, runID: second))
            return (first, second)
        }
        try database.read { db throws in
            #expect(try AlertRecords.alerts(db, tenant: nil, from: nil, to: nil).map(\.alert.eventID) == ["early", "other", "late"])
            #expect(try AlertRecords.alerts(db, tenant: TenantID("tenant-a"), from: nil, to: nil).map(\.alert.eventID) == ["early", "late"])
            #expect(try AlertRecords.alerts(db, tenant: nil, from: T.time(10), to: T.time(30)).map(\.alert.eventID) == ["early", "other"])
            #expect(try AlertRecords.alerts(raisedByRun: runIDs.0, db).map(\.alert.eventID) == ["late", "early"])
            #expect(try AlertRecords.alerts(raisedByRun: runIDs.1, db).map(\.alert.eventID) == ["other"])
        }
    }

    @Test("every triage is kept and chained; an alert carries its latest")
    func triageKeepsHistoryAndShowsTheLatest() throws {
        let database = try T.make()
        let (alertID, chained) = try database.write { db in
            let alertID = try #require(try AlertRecords.insertIfNew(db, Self.alert(event: "e1", at: 10, runID: Self.run(db))))
            try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: alertID, triagedBy: "first", note: "look", triagedAt: T.time(100)))
            try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: alertID, triagedBy: "second", note: "done", triagedAt: T.time(200)))
            return (alertID, try T.ledgerEntries(db, kind: .alertTriage))
        }
        #expect(chained == 2)
        let stored = try #require(try database.read { db in try AlertRecords.alert(id: alertID, db) })
        #expect(stored.latestTriage?.triagedBy == "second" && stored.latestTriage?.note == "done")
        #expect(stored.latestTriage?.triagedAt == T.time(200) && stored.latestTriage?.alertID == alertID)
        #expect(try database.read { db in try AlertTriageRow.fetchCount(db) } == 2)
    }

    @Test("a read of many alerts gives each its own latest triage and its own values where rows differ")
    func alertReadCarriesEachAlertsOwnTriageAndValues() throws {
        let database = try T.make()
        let ids = try database.write { db in
            let runID = try Self.run(db)
            var ids: [Int64] = []
            for (index, event) in ["a", "b", "c", "d"].enumerated() {
                var row = Self.alert(event: event, at: 10 + index, runID: runID)
                if event == "c" {
                    row.actor = "other-admin"
                    row.raisedAt = T.time(2000)
                }
                ids.append(try #require(try AlertRecords.insertIfNew(db, row)))
            }
            try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: ids[1], triagedBy: "b-old", note: "", triagedAt: T.time(1)))
            try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: ids[3], triagedBy: "d-only", note: "", triagedAt: T.time(2)))
            try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: ids[1], triagedBy: "b-new", note: "", triagedAt: T.time(3)))
            return ids
        }
        var streamed: [StoredAlert] = []
        try database.read { db in
            try AlertRecords.forEachAlert(db, tenant: TenantID("tenant-a"), from: nil, to: nil) { streamed.append($0) }
        }
        let listed = try database.read { db in try AlertRecords.alerts(db, tenant: TenantID("tenant-a"), from: nil, to: nil) }
        #expect(streamed == listed)
        #expect(listed.map(\.alert.id) == ids)
        #expect(listed.map { $0.latestTriage?.triagedBy } == [nil, "b-new", nil, "d-only"])
        #expect(listed.map(\.alert.actor) == ["admin\0-x", "admin\0-x", "other-admin", "admin\0-x"])
        #expect(listed.map(\.alert.raisedAt) == [T.time(1000), T.time(1000), T.time(2000), T.time(1000)])
    }

    @Test(
        "a stored alert or triage value the tool never writes is an error naming the column, not a default",
        arguments: [
            ("alert", "severity", "severe"), ("alert", "event_time", "yesterday"), ("alert", "direction", "sideways"),
            ("alert", "outcome", "maybe"), ("alert_triage", "triaged_at", "soon"),
        ])
    func undecodableAlertValuesThrow(table: String, column: String, value: String) throws {
        let database = try T.make()
        let alertID = try database.write { db in
            let alertID = try #require(try AlertRecords.insertIfNew(db, Self.alert(event: "e1", at: 10, runID: Self.run(db))))
            try AlertRecords.addTriage(db, AlertTriageRow(id: 0, alertID: alertID, triagedBy: "x", note: "", triagedAt: T.time(1)))
            #expect(try AlertRecords.alert(id: alertID, db) != nil, "undamaged, it reads")
            try db.execute(sql: "UPDATE \(table) SET \(column) = ?", arguments: [value])
            return alertID
        }
        T.expectUndecodable(table: table, column: column) {
            _ = try database.read { db in try AlertRecords.alert(id: alertID, db) }
        }
    }

    @Test("a run is recorded as it starts and finished with its counts; runs read oldest first")
    func detectionRunsRoundTrip() throws {
        let database = try T.make()
        let (first, second) = try database.write { db in (try Self.run(db), try Self.run(db, at: 5)) }
        try database.write { db throws in
            try DetectionRunRecords.finish(db, id: first, alertsRaised: 2, heldBack: 1, deferred: 4, evaluatedThrough: T.time(9))
        }
        let runs = try database.read { db in try DetectionRunRecords.all(db) }
        #expect(runs.map(\.id) == [first, second])
        #expect(runs[0].alertsRaised == 2 && runs[0].heldBack == 1 && runs[0].deferred == 4)
        #expect(runs[0].evaluatedThrough == T.time(9) && runs[1].evaluatedThrough == nil)
        #expect(runs[0].ruleIDs == ["b-rule", "a-rule"] && runs[0].mode == "catch-up" && runs[0].eventsEvaluated == 3)
        #expect(try database.read { db in try DetectionRunRecords.latest(db) }?.id == second)
        try database.write { db in try db.execute(sql: "UPDATE detection_run SET rule_ids = 'not json' WHERE id = ?", arguments: [second]) }
        T.expectUndecodable(table: "detection_run", column: "rule_ids") {
            _ = try database.read { db in try DetectionRunRecords.all(db) }
        }
    }

    @Test("a watermark never moves back under the same query, and restarts exactly under a new one")
    func watermarkMovesForwardOrRestarts() throws {
        let database = try T.make()
        try database.write { db throws in
            #expect(try DetectionCursor.watermark(db, ruleID: "r") == nil)
            try DetectionCursor.advanceWatermark(db, ruleID: "r", through: 50, queryDigest: "q1", at: T.time(1))
            try DetectionCursor.advanceWatermark(db, ruleID: "r", through: 20, queryDigest: "q1", at: T.time(2))
            let kept = try #require(try DetectionCursor.watermark(db, ruleID: "r"))
            #expect(kept.lastRowID == 50 && kept.updatedAt == T.time(2))
            try DetectionCursor.advanceWatermark(db, ruleID: "r", through: 20, queryDigest: "q2", at: T.time(3))
            let restarted = try #require(try DetectionCursor.watermark(db, ruleID: "r"))
            #expect(restarted.lastRowID == 20 && restarted.queryDigest == "q2")
        }
    }

    @Test("pending rows are held, counted, read in event order and released by rule, reason or event")
    func pendingRowsHoldAndRelease() throws {
        let database = try T.make()
        try database.write { db throws in
            let runID = try Self.run(db)
            func hold(_ rule: String, _ rowID: Int64, _ reason: DetectionPendingRow.Reason) throws {
                try DetectionCursor.hold(
                    db, DetectionPendingRow(ruleID: rule, eventRowID: rowID, eventID: "e\(rowID)", reason: reason, sinceRun: runID))
            }
            try hold("a", 3, .deferred)
            try hold("a", 1, .heldBack)
            try hold("a", 2, .deferred)
            try hold("b", 1, .deferred)
            try hold("a", 2, .heldBack)  // replaces the deferred row for the same event
            #expect(try DetectionCursor.pending(db).map(\.eventRowID) == [1, 1, 2, 3])
            #expect(try DetectionCursor.pendingCount(db, ruleID: "a", reason: .deferred) == 1)
            #expect(try DetectionCursor.pendingCount(db, ruleID: "a", reason: .heldBack) == 2)
            try DetectionCursor.release(db, ruleID: "a", reason: .heldBack)
            #expect(try DetectionCursor.pending(db).map { "\($0.ruleID)\($0.eventRowID)" } == ["b1", "a3"])
            try DetectionCursor.release(db, ruleID: "a", eventRowID: 3)
            try DetectionCursor.release(db, ruleID: "b")
            #expect(try DetectionCursor.pending(db).isEmpty)
        }
    }

    @Test("evaluated-through is the newest event time up to the bound, or the newest before a deferred event")
    func evaluatedThroughStopsBeforeDeferredEvents() throws {
        let database = try T.make()
        try database.write { db throws in
            for (id, second) in [("e1", 10), ("e2", 20), ("e3", 30)] {
                try EventStore.insert(
                    db,
                    AuditEvent(fields: [
                        "event.id": .string(id), "@timestamp": .string(UTCTimestamp.format(T.time(second))),
                        "event.action": .string("Set-Mailbox"),
                    ]))
            }
            #expect(try DetectionCursor.evaluatedThrough(db, ruleIDs: [], bound: 3) == nil)
            #expect(try DetectionCursor.evaluatedThrough(db, ruleIDs: ["a"], bound: 3) == T.time(30))
            #expect(try DetectionCursor.evaluatedThrough(db, ruleIDs: ["a"], bound: 2) == T.time(20))
            try DetectionCursor.hold(
                db, DetectionPendingRow(ruleID: "a", eventRowID: 2, eventID: "e2", reason: .deferred, sinceRun: Self.run(db)))
            #expect(try DetectionCursor.evaluatedThrough(db, ruleIDs: ["a"], bound: 3) == T.time(10))
            #expect(try DetectionCursor.evaluatedThrough(db, ruleIDs: ["b"], bound: 3) == T.time(30), "only the rules asked about")
        }
    }

    @Test("an alert is undelivered to a destination until it acknowledges it; failures count attempts")
    func deliveriesTrackEachDestination() throws {
        let database = try T.make()
        let (first, second) = try database.write { db in
            let runID = try Self.run(db)
            return (
                try #require(try AlertRecords.insertIfNew(db, Self.alert(event: "e1", at: 10, runID: runID))),
                try #require(try AlertRecords.insertIfNew(db, Self.alert(event: "e2", at: 20, runID: runID)))
            )
        }
        try database.write { db throws in
            try AlertDeliveryRecords.markFailed(db, alertID: first, destination: "es|idx", documentID: "d1", error: "429")
            try AlertDeliveryRecords.markFailed(db, alertID: second, destination: "es|idx", documentID: "d2", error: "503")
            try AlertDeliveryRecords.markDelivered(db, alertID: second, destination: "es|idx", documentID: "d2", at: T.time(50))
        }
        try database.read { db throws in
            #expect(try AlertDeliveryRecords.undelivered(db, destination: "es|idx").map(\.alert.id) == [first])
            #expect(try AlertDeliveryRecords.undelivered(db, destination: "elsewhere").map(\.alert.id) == [first, second])
            let failed = try #require(try AlertDeliveryRecords.delivery(db, alertID: first, destination: "es|idx"))
            #expect(failed.attempts == 1 && failed.lastError == "429" && failed.deliveredAt == nil)
            let delivered = try #require(try AlertDeliveryRecords.delivery(db, alertID: second, destination: "es|idx"))
            #expect(delivered.attempts == 2 && delivered.lastError == nil && delivered.deliveredAt == T.time(50))
            #expect(try AlertDeliveryRecords.delivery(db, alertID: first, destination: "elsewhere") == nil)
        }
    }
}
