import Foundation
import GRDB
import Testing

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Drift
@testable import Store

@Suite("Drift: gathering the inputs from a database")
struct DriftGatherTests {
    typealias F = DriftFixture

    static func event(_ id: String, at time: String, action: String = ECSField.bypassCmdlet, tenant: TenantID = F.tenant)
        -> AuditEvent
    {
        var event = AuditEvent()
        event[ECSField.timestamp] = .string(time)
        event[ECSField.eventID] = .string(id)
        event[ECSField.action] = .string(action)
        event[ECSField.provider] = .string("Exchange")
        event[ECSField.dataset] = .string(ECSField.o365AuditDataset)
        event[ECSField.organizationID] = .string(tenant.rawValue)
        event[ECSField.outcome] = .string("success")
        event[ECSField.userID] = .string(F.admin)
        event[ECSField.parametersPrefix + "Identity"] = .string("svc-backup")
        event[ECSField.parametersPrefix + "AuditBypassEnabled"] = .string("True")
        return event
    }

    @Test("gather reads the tenant's inventory, the period's coverage and the newest event up to as-of")
    func gather() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AuditDatabase(path: folder.appendingPathComponent("audit.sqlite").path)
        try database.write { db in
            try EventStore.insert(db, Self.event("e-1", at: "2026-10-20T00:00:00Z"))
            try EventStore.insert(db, Self.event("e-2", at: "2026-11-03T00:00:00Z", action: "Set-Mailbox"))
            try EventStore.insert(db, Self.event("e-3", at: "2026-11-25T00:00:00Z", action: "Set-Mailbox"))  // after as-of
            try EventStore.insert(db, Self.event("e-4", at: "2026-11-10T00:00:00Z", tenant: TenantID("other")))
            try db.execute(
                sql: "INSERT INTO input_file (identity, path, first_seen_at, updated_at) VALUES ('t', 'x', '', '')")
            try CoverageStore.add(
                db, inputFileID: db.lastInsertedRowID,
                counts: [F.day("2026-10-31"): 5, F.day("2026-11-02"): 7, F.day("2026-11-03"): 9])
        }
        let inputs = try database.read { db in
            try DriftInputs.gather(db, tenant: F.tenant, allowlist: F.allowlist([F.backupEntry]), asOf: F.asOf, period: F.period)
        }
        #expect(inputs.tenant == F.tenant)
        #expect(inputs.inventory.accounts.map(\.bypassEnabled) == [true])
        #expect(inputs.inventory.accounts.first?.lastEventID == "e-1")
        #expect(inputs.coverage == [F.day("2026-11-02"): 7, F.day("2026-11-03"): 9])
        #expect(inputs.latestEventTime == F.time("2026-11-03T00:00:00Z"))
        #expect(inputs.detectionRuns.isEmpty)
        let result = DriftAnalyzer.analyze(inputs)
        #expect(result.findings(.coverageGap).map(\.id) == ["coverage-gap:2026-11-01", "coverage-gap:2026-11-04..2026-11-19"])
        #expect(result.control(.alertsOnNewBypass).status == .fail)
    }

    @Test("drift judges the store's tally and the alerts it cites exactly as a report judges the same alerts read whole")
    func storedTallyAgreesWithWholeAlerts() throws {
        typealias D = DetectionFixtures
        let database = try D.database()
        let tenant = F.tenant.rawValue
        let day = F.time("2026-11-10T08:00:00Z")
        try D.insert(
            [
                D.event(
                    id: "enable", parameters: ["Identity": "svc-backup", "AuditBypassEnabled": "True"], at: day,
                    actor: "intruder@contoso.com", tenant: tenant),
                D.event(
                    id: "denied", outcome: .failure, parameters: ["Identity": "svc-mail", "AuditBypassEnabled": "True"],
                    at: day.addingTimeInterval(60), tenant: tenant),
                D.event(
                    id: "org-off", action: "Set-OrganizationConfig", parameters: ["AuditDisabled": "True"],
                    at: day.addingTimeInterval(120), tenant: tenant),
                D.event(
                    id: "late", parameters: ["Identity": "svc-late", "AuditBypassEnabled": "True"],
                    at: F.time("2026-11-25T00:00:00Z"), tenant: tenant),
                D.event(
                    id: "theirs", parameters: ["Identity": "svc-backup", "AuditBypassEnabled": "True"], at: day,
                    tenant: "other"),
            ], into: database)
        let detection = try Detector(database: database, rules: try D.shippedRules()).run(now: F.asOf, ranAt: F.asOf)
        let denied = try #require(detection.newAlerts.first { $0.eventID == "denied" })
        try database.write { db in
            _ = try AlertStore.acknowledge(db, alertID: denied.id, by: "soc", note: "typo", at: F.asOf)
        }

        func judged(wholeAlerts: Bool) throws -> (PeriodAlerts, DriftResult, [Alert]) {
            let (facts, _) = try DriftFacts.gather(
                from: database, tenant: F.tenant, asOf: F.asOf, period: F.period, wholeAlerts: wholeAlerts,
                alongside: { _ in () })
            #expect(facts.wholeAlerts.isEmpty == !wholeAlerts)
            let inputs = DriftInputs(
                tenant: F.tenant, asOf: F.asOf, period: F.period, facts: facts,
                allowlist: F.allowlist([F.backupEntry], admins: [F.admin]))
            // As a report judges: its findings cite from the alerts it holds.
            guard !wholeAlerts else {
                return (facts.alerts, DriftAnalyzer.analyze(inputs, citing: facts.wholeAlerts), facts.wholeAlerts)
            }
            // As a drift run judges: the alerts its findings cite are read afterwards.
            return (facts.alerts, try DriftAnalyzer.judge(inputs).citing(storedIn: database, as: facts.alerts), [])
        }
        let (stored, fromStore, _) = try judged(wholeAlerts: false)
        let (whole, fromWhole, alerts) = try judged(wholeAlerts: true)
        #expect(stored.references.isEmpty, "a drift run does not read every alert")
        #expect(whole.references.isEmpty, "a report cites from the whole alerts, without references to them")
        #expect(alerts.map(\.eventID) == ["enable", "denied", "org-off"])
        #expect(alerts.map(\.isTriaged) == [false, true, false])
        // The store counts as the alerts at hand count: the other tenant's alert and the one after as-of are left out.
        let window = DriftInputs.activityWindow(of: F.period, asOf: F.asOf)
        #expect(stored.tally == BypassAlertTally(alerts, tenant: F.tenant, window: window))
        #expect(stored.tally == BypassAlertTally(alerts.map(AlertReference.init), tenant: F.tenant, window: window))
        #expect(stored.tally == whole.tally)
        #expect(stored.tally.alertedEvents == [EventKey("enable")])
        #expect(stored.tally.untriagedCount == 1)
        #expect(stored.tally.firstUntriagedIDs == alerts.filter { $0.eventID == "enable" }.map(\.id))
        #expect(stored.tally.newestEventTime == day.addingTimeInterval(120))
        #expect(stored.impairments == whole.impairments)
        #expect(stored.impairments.map(\.eventID) == ["org-off"])
        #expect(fromStore == fromWhole)
        // Each kind of alert fact reached a finding or a control, so the comparison compared something.
        #expect(fromStore.findings(.auditImpairment).map(\.id) == ["audit-impairment:organization-audit-disabled"])
        let cited = fromStore.findings(.unauthorizedActor).flatMap(\.evidence).filter { $0.kind == .alert }
        #expect(cited.count == 1)
        #expect(fromStore.control(.alertsOnNewBypass).status == .warn)
    }

    /// Whether two texts are one copy (event ids longer than 15 bytes live outside the `String` value).
    static func sameCopy(_ first: String, _ second: String) -> Bool {
        var (first, second) = (first, second)
        return first.withUTF8 { one in second.withUTF8 { two in one.baseAddress == two.baseAddress } }
    }

    @Test("a report's whole alerts hold the inventory's copy of their event ids, not one of their own")
    func wholeAlertsShareEventIDs() throws {
        typealias D = DetectionFixtures
        let database = try D.database()
        let day = F.time("2026-11-10T08:00:00Z")
        let ids = (0..<40).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        try D.insert(
            ids.enumerated().map { index, id in
                D.event(
                    id: id, parameters: ["Identity": "svc-\(index % 5)", "AuditBypassEnabled": index % 2 == 0 ? "True" : "False"],
                    at: day.addingTimeInterval(Double(index / 4) * 60), tenant: F.tenant.rawValue)
            }, into: database)
        _ = try Detector(database: database, rules: try D.shippedRules()).run(now: F.asOf, ranAt: F.asOf)
        let (facts, _) = try DriftFacts.gather(
            from: database, tenant: F.tenant, asOf: F.asOf, period: F.period, wholeAlerts: true, alongside: { _ in () })
        var changeIDs: [String: String] = [:]
        for account in facts.inventory.accounts {
            for change in account.changes { changeIDs[change.eventID] = change.eventID }
        }
        let bypassAlerts = facts.wholeAlerts.filter { $0.signal == .bypassChange }
        #expect(bypassAlerts.count == ids.count)
        for alert in bypassAlerts {
            let change = try #require(changeIDs[alert.eventID])
            #expect(Self.sameCopy(alert.eventID, change), "alert \(alert.id) on \(alert.eventID)")
        }
    }

    @Test("sharing walks alerts and changes side by side: only the changes of an alert's instant, at most a few")
    func sharingComparesChangesOfTheSameInstant() throws {
        let day = F.time("2026-11-10T08:00:00Z")
        func record(_ id: String, at time: Date?, row: Int64) -> StoredBypassChange {
            StoredBypassChange(
                fact: BypassChangeFact(
                    eventID: id, tenant: F.tenant, time: time, identity: "svc", objectID: nil, actor: nil, clientIP: nil,
                    direction: .enabled, outcome: .success, originalStatus: nil),
                rowID: row, effectiveTime: time ?? day)
        }
        func alert(_ id: String, at time: Date) -> Alert {
            // A copy of its own, as the alerts' read decodes it.
            Alert(
                id: 1, ruleID: "r", ruleName: "r", severity: .medium, riskScore: 47, signal: .bypassChange, tenant: F.tenant,
                eventID: String(decoding: Array(id.utf8), as: UTF8.self), eventTime: time, actor: nil, target: nil,
                objectID: nil, outcome: .success, direction: .enabled, raisedAt: time, triage: nil)
        }
        let id = { (n: Int) in String(format: "00000000-0000-4000-8000-%012d", n) }
        let crowd = day.addingTimeInterval(60)
        var records = [record(id(0), at: nil, row: 1), record(id(1), at: day, row: 2)]
        records += (0..<(DriftFacts.sameInstantProbes + 1)).map { record(id(10 + $0), at: crowd, row: Int64(3 + $0)) }
        records.append(record(id(99), at: day.addingTimeInterval(120), row: 100))
        let list = StoredBypassChangeList(records)
        var alerts = [
            alert(id(1), at: day), alert(id(10), at: crowd), alert(id(10 + DriftFacts.sameInstantProbes - 1), at: crowd),
            alert(id(10 + DriftFacts.sameInstantProbes), at: crowd), alert(id(98), at: day.addingTimeInterval(120)),
            alert(id(99), at: day.addingTimeInterval(120)),
        ]
        let before = alerts.map(\.eventID)
        DriftFacts.shareEventIDs(of: &alerts, with: list)
        #expect(alerts.map(\.eventID) == before, "sharing changes no value")
        let copyOf = Dictionary(uniqueKeysWithValues: records.map { ($0.fact.eventID, $0.fact.eventID) })
        #expect(alerts.map { alert in copyOf[alert.eventID].map { Self.sameCopy($0, alert.eventID) } ?? false } == [
            true, true, true, false, false, true,
        ])
    }

    @Test("gather reads the tenant's lost Management Activity API windows; drift reports them as coverage gaps")
    func lostCollectionWindows() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AuditDatabase(path: folder.appendingPathComponent("audit.sqlite").path)
        try database.write { db in
            for (source, tenant) in [("mine", F.tenant.rawValue), ("theirs", "other")] {
                try db.execute(
                    sql: """
                        INSERT INTO activity_feed_source (source, tenant, content_type, updated_at)
                        VALUES (?, ?, 'Audit.Exchange', '2026-11-20T00:00:00.000Z')
                        """,
                    arguments: [source, tenant])
                try db.execute(
                    sql: """
                        INSERT INTO activity_feed_gap (source, gap_start, gap_end, noted_at)
                        VALUES (?, '2026-11-05T06:00:00.000Z', '2026-11-06T06:00:00.000Z', '2026-11-20T00:00:00.000Z')
                        """,
                    arguments: [source])
            }
            // Before the period: not this run's concern.
            try db.execute(
                sql: """
                    INSERT INTO activity_feed_gap (source, gap_start, gap_end, noted_at)
                    VALUES ('mine', '2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z', '2026-11-20T00:00:00.000Z')
                    """)
        }
        let inputs = try database.read { db in
            try DriftInputs.gather(db, tenant: F.tenant, allowlist: F.allowlist([F.backupEntry]), asOf: F.asOf, period: F.period)
        }
        #expect(inputs.lostCollectionWindows == [
            LostCollectionWindow(
                contentType: "Audit.Exchange", start: F.time("2026-11-05T06:00:00Z"), end: F.time("2026-11-06T06:00:00Z"))
        ])
        // Full coverage from files does not hide the lost window: those days had records, but not the API's.
        var withCoverage = inputs
        withCoverage.coverage = F.fullCoverage()
        let result = DriftAnalyzer.analyze(withCoverage)
        let gaps = result.findings(.coverageGap)
        #expect(gaps.map(\.id) == ["coverage-gap:lost:Audit.Exchange:2026-11-05T06:00:00.000Z..2026-11-06T06:00:00.000Z"])
        #expect(gaps.first?.evidence.map(\.reference) == ["2026-11-05", "2026-11-06"])
        #expect(gaps.first?.detail.contains("never collected") == true)
        #expect(result.control(.periodicAudit).findingIDs.contains(gaps.first?.id ?? "-"))
        #expect(result.control(.periodicAudit).status != .pass)
    }
}
