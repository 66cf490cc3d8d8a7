import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Store

@Suite("Detection: stored alerts, triage and SIEM documents")
struct AlertStoreTests {
    typealias F = DetectionFixtures

    func raisedAlerts() throws -> (AuditDatabase, DetectionRunResult) {
        let database = try F.database()
        try F.insert(
            [
                F.bypass(id: "nov-21", enabled: true),
                F.bypass(id: "nov-25", enabled: false, at: F.base.addingTimeInterval(4 * 86_400)),
                F.event(
                    id: "other-tenant", parameters: ["Identity": "x", "AuditBypassEnabled": "True"],
                    tenant: "00000000-0000-0000-0000-000000000001"),
            ], into: database)
        let result = try Detector(database: database, rules: try F.shippedRules()).run(now: F.base, ranAt: F.base)
        return (database, result)
    }

    @Test("alerts(tenant:from:to:) narrows by tenant and by event time [from, to)")
    func filters() throws {
        let (database, _) = try raisedAlerts()
        try database.read { db in
            #expect(try AlertStore.alerts(db, tenant: nil, from: nil, to: nil).count == 3)
            #expect(try AlertStore.alerts(db, tenant: TenantID(F.tenant), from: nil, to: nil).count == 2)
            let day = UTCDay("2026-11-21")!
            let onDay = try AlertStore.alerts(db, tenant: TenantID(F.tenant), from: day.start, to: day.nextStart)
            #expect(onDay.map(\.eventID) == ["nov-21"])
            let upTo = try AlertStore.alerts(db, tenant: nil, from: nil, to: F.base)
            #expect(upTo.isEmpty, "to is exclusive")
        }
    }

    @Test("references by event are the tenant's alerts of those events as read whole, with whether each was triaged")
    func references() throws {
        let (database, result) = try raisedAlerts()
        let acked = try #require(result.newAlerts.first { $0.tenant == TenantID(F.tenant) })
        try database.write { db in
            _ = try AlertStore.acknowledge(db, alertID: acked.id, by: "soc-analyst", note: "known", at: F.base)
        }
        try database.read { db in
            let tenant = TenantID(F.tenant)
            let whole = try AlertStore.alerts(db, tenant: tenant, from: nil, to: nil)
            let newest = try AlertRecords.newestID(db)
            let references = try AlertStore.references(
                db, tenant: tenant, raisedOn: ["nov-25", "nov-21", "other-tenant"], throughID: newest)
            #expect(whole.count == 2)
            #expect(references == whole.map(AlertReference.init))
            #expect(references.map(\.triaged) == whole.map { $0.id == acked.id })
            #expect(try AlertStore.references(db, tenant: tenant, raisedOn: ["nov-21"], throughID: newest).map(\.eventID) == ["nov-21"])
        }
    }

    @Test("references by event come oldest event first, past one chunk of event ids, skipping unknown ids")
    func referencesByManyEvents() throws {
        let database = try F.database()
        // Inserted newest first, so id order and event order disagree.
        let events = (0..<620).map { index in
            F.bypass(id: "e-\(index)", enabled: true, at: F.base.addingTimeInterval(Double(620 - index)))
        }
        try F.insert(events, into: database)
        _ = try Detector(database: database, rules: try F.shippedRules()).run(now: F.base.addingTimeInterval(86_400), ranAt: F.base)
        try database.read { db in
            let tenant = TenantID(F.tenant)
            let all = try AlertStore.alerts(db, tenant: tenant, from: nil, to: nil)
            #expect(all.count == 620)
            let newest = try AlertRecords.newestID(db)
            let asked = all.map(\.eventID).shuffled() + ["unknown"]
            #expect(try AlertStore.references(db, tenant: tenant, raisedOn: asked, throughID: newest) == all.map(AlertReference.init))
            let two = try AlertStore.references(db, tenant: tenant, raisedOn: [all[3].eventID, all[1].eventID], throughID: newest)
            #expect(two == [all[1], all[3]].map(AlertReference.init))
            #expect(try AlertStore.references(db, tenant: tenant, raisedOn: [], throughID: newest).isEmpty)
        }
    }

    @Test("ack records who triaged and why; the latest triage shows; unknown ids are refused")
    func acknowledge() throws {
        let (database, result) = try raisedAlerts()
        let alert = try #require(result.newAlerts.first)
        #expect(alert.isOpen)
        let at = F.base.addingTimeInterval(3600)
        try database.write { db in
            _ = try AlertStore.acknowledge(db, alertID: alert.id, by: "soc-analyst", note: "first look", at: at)
            let updated = try AlertStore.acknowledge(
                db, alertID: alert.id, by: "lead", note: "approved backup account (CHG-42)", at: at.addingTimeInterval(60))
            #expect(updated.triage == AlertTriage(by: "lead", note: "approved backup account (CHG-42)", at: at.addingTimeInterval(60)))
            #expect(!updated.isOpen)
        }
        let stored = try database.read { db in try AlertStore.alert(id: alert.id, db) }
        #expect(stored?.triage?.by == "lead")
        let open = try database.read { db in try AlertStore.alerts(db, tenant: nil, from: nil, to: nil) }.filter(\.isOpen)
        #expect(open.count == 2)
        #expect(throws: AlertStoreError.noSuchAlert(9999)) {
            try database.write { db in try AlertStore.acknowledge(db, alertID: 9999, by: "x", note: "y", at: at) }
        }
    }

    @Test("attacker-written text reaches SQL only as bound values")
    func hostileText() throws {
        let database = try F.database()
        let hostile = "x'); DROP TABLE alert; --"
        try F.insert([F.bypass(id: "h", enabled: true, identity: hostile)], into: database)
        let result = try Detector(database: database, rules: try F.shippedRules()).run()
        #expect(result.newAlerts.first?.target == hostile)
        try database.write { db in
            _ = try AlertStore.acknowledge(db, alertID: result.newAlerts[0].id, by: hostile, note: hostile, at: F.base)
        }
        let stored = try database.read { db in try AlertStore.alerts(db, tenant: nil, from: nil, to: nil) }
        #expect(stored.first?.triage?.note == hostile)
    }

    @Test("the NDJSON document: the event's ECS fields verbatim plus kibana.alert.*")
    func ndjsonDocument() throws {
        let (database, result) = try raisedAlerts()
        let alert = try #require(result.newAlerts.first { $0.eventID == "nov-21" })
        let rules = try F.shippedRules()
        let line = try AlertDocument.line(for: alert, in: database, rule: rules.rule(id: alert.ruleID))
        #expect(!line.contains("\n"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(document["kibana.alert.rule.name"] as? String == "O365 Mailbox Audit Logging Bypass")
        #expect(document["kibana.alert.rule.uuid"] as? String == F.seedRuleID)
        #expect(document["kibana.alert.severity"] as? String == "medium")
        #expect(document["kibana.alert.risk_score"] as? Int == 47)
        #expect(document["kibana.alert.original_time"] as? String == "2026-11-21T10:00:00.000Z")
        #expect(document["kibana.alert.workflow_status"] as? String == "open")
        #expect(document["@timestamp"] as? String == UTCTimestamp.format(alert.raisedAt))
        #expect(document["event.kind"] as? String == "signal")
        #expect(document["kibana.alert.original_event.kind"] as? String == "event")
        #expect(document["event.action"] as? String == "Set-MailboxAuditBypassAssociation")
        #expect(document["o365.audit.Parameters.AuditBypassEnabled"] as? String == "True", "ECS keys stay verbatim")
        #expect(document["o365.audit.ObjectId"] as? String == "svc-backup@contoso.com")
        #expect(document["user.id"] as? String == "admin@contoso.com")
        #expect(document["bypass_auditor.direction"] as? String == "enabled")
        #expect((document["threat.technique.id"] as? [String])?.contains("T1562.001") == true)
        #expect(
            document["kibana.alert.uuid"] as? String
                == AlertDocument.uuid(ruleID: alert.ruleID, eventID: alert.eventID))
    }

    @Test("terminal output shows control characters in log fields as escapes")
    func inertText() {
        #expect(AlertText.inert("evil\u{1B}[2Jname") == "evil\\u{1B}[2Jname")
        #expect(AlertText.inert("a\u{202E}b") == "a\\u{202E}b")
        #expect(AlertText.inert("plain ünïcode") == "plain ünïcode")
    }
}
