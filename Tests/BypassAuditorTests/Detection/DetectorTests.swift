import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Store

@Suite("Detection: runs over a real SQLite store")
struct DetectorTests {
    typealias F = DetectionFixtures
    let base = F.base

    func minutes(_ count: Double) -> TimeInterval { count * 60 }

    @Test("each (rule, event) alerts once, ever: reruns and reopened databases raise nothing new")
    func onceOnly() throws {
        let database = try F.database()
        let rules = try F.shippedRules()
        try F.insert(
            [
                F.bypass(id: "added", enabled: true),
                F.bypass(id: "removed", enabled: false, at: base.addingTimeInterval(60)),
                F.bypass(id: "failed", enabled: true, outcome: .failure, at: base.addingTimeInterval(120)),
                F.event(id: "routine", action: "Set-Mailbox", parameters: ["Identity": "x"]),
            ], into: database)
        let first = try Detector(database: database, rules: rules).run(now: base.addingTimeInterval(600))
        #expect(first.summary.eventsEvaluated == 4)
        #expect(first.summary.alertsRaised == 3)
        let byEvent = Dictionary(uniqueKeysWithValues: first.newAlerts.map { ($0.eventID, $0) })
        #expect(byEvent["added"]?.direction == .enabled)
        #expect(byEvent["added"]?.signal == .bypassChange)
        #expect(byEvent["added"]?.target == "svc-backup@contoso.com")
        #expect(byEvent["added"]?.actor == "admin@contoso.com")
        #expect(byEvent["added"]?.tenant == TenantID(F.tenant))
        #expect(byEvent["removed"]?.direction == .removed, "the seed query matches removals, and the alert says so")
        #expect(byEvent["removed"]?.directionExplanation?.contains("bypass removed") == true)
        #expect(byEvent["failed"]?.signal == .bypassFailedAttempt)
        #expect(byEvent["failed"]?.outcome == .failure)
        // The alert's document carries its event's fields, read back from the store rather than held by the run.
        let line = try AlertDocument.line(for: try #require(byEvent["added"]), in: database)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(document["event.action"] as? String == "Set-MailboxAuditBypassAssociation", "\(line)")
        #expect(document["user.id"] as? String == "admin@contoso.com", "\(line)")

        let second = try Detector(database: database, rules: rules).run(now: base.addingTimeInterval(900))
        #expect(second.summary.alertsRaised == 0)
        #expect(second.summary.eventsEvaluated == 0, "nothing new to evaluate")

        let reopened = try AuditDatabase(path: database.path)
        let third = try Detector(database: reopened, rules: rules).run()
        #expect(third.summary.alertsRaised == 0)
        let stored = try reopened.read { db in try AlertStore.alerts(db, tenant: nil, from: nil, to: nil) }
        #expect(stored.count == 3)
        #expect(Set(stored.map(\.eventID)) == ["added", "removed", "failed"])
    }

    @Test("events stored after a run are evaluated by the next, and only they")
    func incremental() throws {
        let database = try F.database()
        let rules = try F.shippedRules()
        try F.insert([F.bypass(id: "one", enabled: true)], into: database)
        _ = try Detector(database: database, rules: rules).run()
        try F.insert(
            [F.bypass(id: "two", enabled: true), F.event(id: "noise", action: "Get-Mailbox")], into: database)
        let result = try Detector(database: database, rules: rules).run()
        #expect(result.summary.eventsEvaluated == 2)
        #expect(result.newAlerts.map(\.eventID) == ["two"])
    }

    @Test("a catch-up detect raises alerts for events of any age; --now only sets the clock")
    func catchUpIgnoresAge() throws {
        let database = try F.database()
        let old = base.addingTimeInterval(-86_400 * 400)
        try F.insert([F.bypass(id: "old", enabled: true, at: old)], into: database, ingestedAt: old)
        let result = try Detector(database: database, rules: try F.shippedRules()).run(mode: .catchUp, now: base)
        #expect(result.newAlerts.map(\.eventID) == ["old"])
        #expect(result.summary.now == base)
        #expect(result.newAlerts.first?.eventTime == old)
    }

    @Test("max_signals caps a scheduled run; the rest are held back, raised oldest first by the next runs, never dropped")
    func heldBack() throws {
        let database = try F.database()
        let rule = try F.rule(
            id: "capped", query: "event.action:Set-MailboxAuditBypassAssociation", extra: "max_signals = 2")
        let rules = RuleSet(rules: [rule])
        try F.insert(
            (0..<5).map { F.bypass(id: "e\($0)", enabled: true, at: base.addingTimeInterval(Double($0) * 60)) },
            into: database)
        // Elastic's default look-back (now-6m) over @timestamp holds all five at base + 5 minutes.
        let first = try Detector(database: database, rules: rules).run(mode: .scheduled, now: base.addingTimeInterval(300))
        #expect(first.newAlerts.map(\.eventID) == ["e0", "e1"])
        #expect(first.summary.heldBack == 3)
        #expect(first.rulesHoldingBack.map(\.heldBack) == [3])

        // The next cycles run a month later: the held-back alerts have left every window and are raised anyway.
        let later = base.addingTimeInterval(86_400 * 30)
        let second = try Detector(database: database, rules: rules).run(mode: .scheduled, now: later)
        #expect(second.newAlerts.map(\.eventID) == ["e2", "e3"])
        #expect(second.summary.heldBack == 1)
        let third = try Detector(database: database, rules: rules).run(mode: .scheduled, now: later)
        #expect(third.newAlerts.map(\.eventID) == ["e4"])
        #expect(third.summary.heldBack == 0)
        let fourth = try Detector(database: database, rules: rules).run(mode: .scheduled, now: later)
        #expect(fourth.newAlerts.isEmpty)
        let stored = try database.read { db in try AlertStore.alerts(db, tenant: nil, from: nil, to: nil) }
        #expect(stored.count == 5)
    }

    @Test("held-back alerts go before new matches, and new matches still count against the cap")
    func heldBackFirst() throws {
        let database = try F.database()
        let rules = RuleSet(rules: [
            try F.rule(
                id: "capped", query: "event.action:Set-MailboxAuditBypassAssociation",
                extra: "max_signals = 2\nfrom = \"now-2h\"")
        ])
        try F.insert((0..<3).map { F.bypass(id: "a\($0)", enabled: true) }, into: database)
        _ = try Detector(database: database, rules: rules).run(mode: .scheduled, now: base)
        try F.insert(
            [
                F.bypass(id: "b0", enabled: true, at: base.addingTimeInterval(-3600)),
                F.bypass(id: "b1", enabled: true, at: base.addingTimeInterval(-1800)),
            ], into: database)
        let second = try Detector(database: database, rules: rules).run(mode: .scheduled, now: base)
        // By event time alone b0 and b1 (both older than a2) would go first; the held-back a2 goes before them.
        #expect(Set(second.newAlerts.map(\.eventID)) == ["a2", "b0"])
        #expect(second.newAlerts.map(\.eventID) == ["b0", "a2"], "listed oldest event first")
        #expect(second.summary.heldBack == 1)
        let third = try Detector(database: database, rules: rules).run(mode: .scheduled, now: base)
        #expect(third.newAlerts.map(\.eventID) == ["b1"])
    }

    @Test("a catch-up run raises every alert, whatever max_signals says, and any held back before")
    func catchUpIsUncapped() throws {
        let database = try F.database()
        let rules = RuleSet(rules: [
            try F.rule(id: "capped", query: "event.action:Set-MailboxAuditBypassAssociation", extra: "max_signals = 2")
        ])
        try F.insert((0..<3).map { F.bypass(id: "a\($0)", enabled: true) }, into: database)
        let scheduled = try Detector(database: database, rules: rules).run(mode: .scheduled, now: base)
        #expect(scheduled.summary.heldBack == 1)
        try F.insert((0..<4).map { F.bypass(id: "b\($0)", enabled: true) }, into: database)
        let catchUp = try Detector(database: database, rules: rules).run(mode: .catchUp, now: base)
        #expect(catchUp.newAlerts.map(\.eventID) == ["a2", "b0", "b1", "b2", "b3"])
        #expect(catchUp.summary.heldBack == 0)
    }

    @Test("scheduled runs consider only the look-back window of event.ingested; others are deferred, not lost")
    func scheduledWindow() throws {
        let database = try F.database()
        let rules = try F.shippedRules()
        // Ingested 10 minutes before the cycle: inside the seed rule's 30-minute look-back.
        try F.insert([F.bypass(id: "recent", enabled: true)], into: database, ingestedAt: base)
        // Ingested two hours before: outside it.
        try F.insert(
            [F.bypass(id: "stale", enabled: true)], into: database, ingestedAt: base.addingTimeInterval(-7200))
        let cycle = try Detector(database: database, rules: rules).run(
            mode: .scheduled, now: base.addingTimeInterval(minutes(10)))
        #expect(cycle.newAlerts.map(\.eventID) == ["recent"])
        let seed = try #require(cycle.rules.first { $0.ruleID == F.seedRuleID })
        #expect(seed.deferred == 1)
        #expect(cycle.summary.deferred >= 1)

        // Another scheduled cycle does not raise it (still outside), a catch-up detect does.
        let again = try Detector(database: database, rules: rules).run(
            mode: .scheduled, now: base.addingTimeInterval(minutes(15)))
        #expect(again.newAlerts.isEmpty)
        let catchUp = try Detector(database: database, rules: rules).run(mode: .catchUp, now: base)
        #expect(catchUp.newAlerts.map(\.eventID) == ["stale"])
        #expect(catchUp.summary.deferred == 0)
    }

    @Test("a scheduled run leaves events ingested after its clock for the cycle whose window reaches them")
    func futureEvents() throws {
        let database = try F.database()
        let rules = try F.shippedRules()
        try F.insert([F.bypass(id: "later", enabled: true)], into: database, ingestedAt: base)
        let early = try Detector(database: database, rules: rules).run(
            mode: .scheduled, now: base.addingTimeInterval(-minutes(5)))
        #expect(early.newAlerts.isEmpty)
        #expect(early.summary.deferred > 0)
        #expect(early.summary.evaluatedThrough == nil, "nothing before the deferred event is stored")
        let due = try Detector(database: database, rules: rules).run(
            mode: .scheduled, now: base.addingTimeInterval(minutes(5)))
        #expect(due.newAlerts.map(\.eventID) == ["later"])
        #expect(due.summary.deferred == 0)
        #expect(due.summary.evaluatedThrough == base)
    }

    @Test("without timestamp_override the window is over @timestamp: late records are deferred to catch-up")
    func timestampWindow() throws {
        let database = try F.database()
        let rules = RuleSet(rules: [
            try F.rule(id: "plain", query: "event.action:Set-MailboxAuditBypassAssociation", extra: "from = \"now-30m\"")
        ])
        // Written an hour ago, stored just now: @timestamp is outside the window although ingest is recent.
        try F.insert(
            [F.bypass(id: "late", enabled: true, at: base.addingTimeInterval(-3600))], into: database, ingestedAt: base)
        let cycle = try Detector(database: database, rules: rules).run(mode: .scheduled, now: base)
        #expect(cycle.newAlerts.isEmpty)
        #expect(cycle.summary.deferred == 1)
        let catchUp = try Detector(database: database, rules: rules).run(mode: .catchUp, now: base)
        #expect(catchUp.newAlerts.map(\.eventID) == ["late"])
    }

    @Test("a rule whose query changed re-reads history; alerts already raised stay unique")
    func changedQuery() throws {
        let database = try F.database()
        try F.insert(
            [F.bypass(id: "b", enabled: true), F.event(id: "m", action: "Set-Mailbox", parameters: ["AuditEnabled": "False"])],
            into: database)
        let v1 = RuleSet(rules: [try F.rule(id: "r", query: "event.action:Set-MailboxAuditBypassAssociation")])
        #expect(try Detector(database: database, rules: v1).run().newAlerts.map(\.eventID) == ["b"])
        let v2 = RuleSet(rules: [
            try F.rule(id: "r", query: "event.action:(Set-MailboxAuditBypassAssociation or Set-Mailbox)")
        ])
        let rerun = try Detector(database: database, rules: v2).run()
        #expect(rerun.newAlerts.map(\.eventID) == ["m"])
        #expect(rerun.rules.first?.restartedForChangedQuery == true)
        #expect(rerun.summary.eventsEvaluated == 2)
    }

    @Test("every run is recorded: mode, clock, counts, rule set digest and how far evaluation reached")
    func runRecords() throws {
        let database = try F.database()
        let rules = try F.shippedRules()
        try F.insert(
            [F.bypass(id: "a", enabled: true), F.bypass(id: "b", enabled: false, at: base.addingTimeInterval(3600))],
            into: database)
        let first = try Detector(database: database, rules: rules).run(mode: .catchUp, now: base, ranAt: base)
        _ = try Detector(database: database, rules: rules).run(
            mode: .scheduled, now: base.addingTimeInterval(60), ranAt: base.addingTimeInterval(60))
        let runs = try database.read { db in try AlertStore.detectionRuns(db) }
        #expect(runs.count == 2)
        #expect(runs[0] == first.summary)
        #expect(runs[0].mode == .catchUp)
        #expect(runs[0].alertsRaised == 2)
        #expect(runs[0].eventsEvaluated == 2)
        #expect(runs[0].ruleSetDigest == rules.digest)
        #expect(runs[0].ruleIDs == rules.rules.map(\.ruleID).sorted())
        #expect(runs[0].evaluatedThrough == base.addingTimeInterval(3600))
        #expect(runs[1].mode == .scheduled)
        #expect(runs[1].alertsRaised == 0)
        #expect(try database.read { db in try AlertStore.latestRun(db) }?.id == runs[1].id)
        let raisedByFirst = try database.read { db in try AlertStore.alerts(raisedByRun: runs[0].id, db) }
        #expect(raisedByFirst.count == 2)
    }

    @Test("a run with no stored events records itself and raises nothing")
    func emptyStore() throws {
        let database = try F.database()
        let result = try Detector(database: database, rules: try F.shippedRules()).run()
        #expect(result.newAlerts.isEmpty)
        #expect(result.summary.evaluatedThrough == nil)
        #expect(try database.read { db in try AlertStore.detectionRuns(db) }.count == 1)
    }

    @Test("many events are read in pages without missing one")
    func paging() throws {
        let database = try F.database()
        try F.insert((0..<57).map { F.bypass(id: "p\($0)", enabled: $0 % 2 == 0) }, into: database)
        var detector = Detector(database: database, rules: try F.shippedRules())
        detector.pageSize = 10
        let result = try detector.run()
        #expect(result.summary.eventsEvaluated == 57)
        #expect(result.newAlerts.count == 57)
    }
}
