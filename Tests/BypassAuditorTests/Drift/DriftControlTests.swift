import Foundation
import Testing

import BypassAuditor
@testable import Inventory
@testable import Policy

@Suite("Drift: the five false-positive controls")
struct DriftControlTests {
    typealias F = DriftFixture

    private func rogue(actor: String = DriftFixture.admin) -> InventoryAccount {
        F.account("svc-x", changes: [F.change("e-x", at: "2026-10-05T00:00:00Z", actor: actor, identity: "svc-x")])
    }

    @Test("Titles are the seed's five practices, in order")
    func titles() {
        let controls = F.analyze(F.inputs()).controls
        #expect(controls.map(\.id.rawValue) == ["FP-1", "FP-2", "FP-3", "FP-4", "FP-5"])
        #expect(controls[0].title == "Authorized third-party tools are documented")
        #expect(controls[4].title == "New bypass associations raise alerts")
    }

    @Test("FP-1 fails on an unapproved bypass or an expired third-party approval, warns on an incomplete entry")
    func fp1() {
        let unapproved = F.analyze(F.inputs(accounts: [F.backup, rogue()]))
        #expect(unapproved.control(.thirdPartyToolsDocumented).status == .fail)
        #expect(unapproved.control(.thirdPartyToolsDocumented).findingIDs == ["unapproved-bypass:name:svc-x"])
        #expect(unapproved.control(.lawfulMonitoringDocumented).status == .pass)

        let expired = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-11-01")]))
        #expect(expired.control(.thirdPartyToolsDocumented).status == .fail)
        #expect(expired.control(.thirdPartyToolsDocumented).findingIDs == ["expired-approval:name:svc-backup"])

        var noTicket = F.backupEntry
        noTicket.ticket = nil
        let incomplete = F.analyze(F.inputs(entries: [noTicket]))
        #expect(incomplete.control(.thirdPartyToolsDocumented).status == .warn)
        #expect(incomplete.control(.thirdPartyToolsDocumented).findingIDs == ["incomplete-approval:AB-0001"])
        #expect(incomplete.control(.thirdPartyToolsDocumented).reason.contains("missing required fields (tool, owner, justification, approval, ticket or expiry): 1."))
    }

    @Test("FP-2 is verified by legal_basis and a current approval; other gaps warn; no lawful entries pass")
    func fp2() {
        func lawful(_ legalBasis: String?, expiresOn: String = "2027-06-30", owner: String? = "legal@contoso.com") -> AllowlistEntry {
            var entry = F.entry(
                "AB-0004", account: "svc-backup", category: .lawfulMonitoring, legalBasis: legalBasis, expiresOn: expiresOn)
            entry.owner = owner
            return entry
        }
        #expect(F.analyze(F.inputs(entries: [lawful("Case 2026-17, court order"), ])).control(.lawfulMonitoringDocumented).status == .pass)
        let noBasis = F.analyze(F.inputs(entries: [lawful(nil)]))
        #expect(noBasis.control(.lawfulMonitoringDocumented).status == .fail)
        #expect(noBasis.control(.lawfulMonitoringDocumented).findingIDs == ["incomplete-approval:AB-0004"])
        #expect(noBasis.control(.thirdPartyToolsDocumented).status == .pass)
        let expired = F.analyze(F.inputs(entries: [lawful("Case 2026-17", expiresOn: "2026-11-10")]))
        #expect(expired.control(.lawfulMonitoringDocumented).status == .fail)
        #expect(expired.control(.lawfulMonitoringDocumented).findingIDs == ["expired-approval:name:svc-backup"])
        #expect(expired.control(.thirdPartyToolsDocumented).status == .pass)
        let noOwner = F.analyze(F.inputs(entries: [lawful("Case 2026-17", owner: nil)]))
        #expect(noOwner.control(.lawfulMonitoringDocumented).status == .warn)
        #expect(F.analyze(F.inputs()).control(.lawfulMonitoringDocumented).reason.contains("no lawful-monitoring exemption"))
    }

    @Test("FP-3 fails on overdue reviews and expired approvals, warns on stale entries and approvals expiring soon")
    func fp3() {
        let overdue = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", lastReviewedOn: "2026-05-01")]))
        #expect(overdue.control(.regularReview).status == .fail)
        #expect(overdue.control(.regularReview).findingIDs == ["review-overdue:AB-0001"])
        let expired = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-11-01")]))
        #expect(expired.control(.regularReview).status == .fail)
        let stale = F.analyze(F.inputs(entries: [F.backupEntry, F.entry("AB-0008", account: "retired-tool")]))
        #expect(stale.control(.regularReview).status == .warn)
        #expect(stale.control(.regularReview).findingIDs == ["stale-allowlist-entry:AB-0008"])
        let soon = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-12-01")]))
        #expect(soon.control(.regularReview).status == .warn)
        #expect(soon.control(.regularReview).findingIDs == ["expiring-soon:AB-0001"])
    }

    @Test("FP-4 fails on a coverage gap, an impairment, an unauthorized change or an unexplained bypass")
    func fp4Fails() {
        var coverage = F.fullCoverage()
        coverage[F.day("2026-11-11")] = nil
        let gap = F.analyze(F.inputs(coverage: coverage))
        #expect(gap.control(.periodicAudit).status == .fail)
        #expect(gap.control(.periodicAudit).findingIDs == ["coverage-gap:2026-11-11"])

        let impaired = F.analyze(F.inputs(alerts: [
            F.alert(1, signal: .unifiedAuditIngestionDisabled, eventID: "a1", at: "2026-11-03T00:00:00Z"),
        ]))
        #expect(impaired.control(.periodicAudit).status == .fail)

        let account = F.account("svc-backup", aliases: ["svc-backup@contoso.com"], changes: [
            F.change("e1", at: "2026-11-04T00:00:00Z", actor: "mallory@contoso.com"),
        ])
        let unauthorized = F.analyze(F.inputs(accounts: [account], alerts: [
            F.alert(2, signal: .bypassChange, eventID: "e1", at: "2026-11-04T00:00:00Z"),
        ]))
        #expect(unauthorized.control(.periodicAudit).status == .fail)
        #expect(unauthorized.control(.periodicAudit).findingIDs == ["unauthorized-actor:e1"])

        let unexplained = SnapshotDiscrepancy(
            kind: .unexplained, account: F.backup.id, accountName: "svc-backup", snapshotID: 7,
            takenAt: F.snapshotInPeriod.takenAt, snapshotState: true, logState: nil, eventIDs: [], detail: "")
        #expect(F.analyze(F.inputs(discrepancies: [unexplained])).control(.periodicAudit).status == .fail)
    }

    @Test("FP-4 warns without a snapshot in the period, without authorized_admins, or on failed attempts")
    func fp4Warns() {
        let oldSnapshot = SnapshotSummary(
            id: 1, tenant: F.tenant, takenAt: F.time("2026-10-15T00:00:00Z"), takenAtGiven: true, fileName: "s.csv",
            sha256: "s", rows: 1, complete: true)
        let noSnapshot = F.analyze(F.inputs(snapshots: [oldSnapshot]))
        #expect(noSnapshot.findings.isEmpty)
        #expect(noSnapshot.control(.periodicAudit).status == .warn)
        #expect(noSnapshot.control(.periodicAudit).reason.contains("No snapshot was taken in the period"))
        let noAdmins = F.analyze(F.inputs(admins: []))
        #expect(noAdmins.control(.periodicAudit).status == .warn)
        #expect(noAdmins.control(.periodicAudit).reason.contains("authorized_admins"))
        let attempts = F.account("svc-backup", aliases: ["svc-backup@contoso.com"], attempts: [
            F.change("f1", at: "2026-11-07T00:00:00Z", outcome: .failure),
        ])
        let tried = F.analyze(F.inputs(accounts: [attempts], alerts: [
            F.alert(3, signal: .bypassFailedAttempt, eventID: "f1", at: "2026-11-07T00:00:00Z"),
        ]))
        #expect(tried.control(.periodicAudit).status == .warn)
        #expect(tried.control(.periodicAudit).findingIDs == ["failed-attempt:name:svc-backup"])
    }

    @Test("FP-5 fails when detection never ran")
    func fp5NeverRan() {
        let result = F.analyze(F.inputs(runs: []))
        #expect(result.control(.alertsOnNewBypass).status == .fail)
        #expect(result.control(.alertsOnNewBypass).reason.contains("never run"))
    }

    @Test("FP-5 fails when events of the period are newer than what detection evaluated")
    func fp5Behind() {
        let behind = F.analyze(F.inputs(
            runs: [F.run(evaluatedThrough: F.time("2026-11-10T00:00:00Z"))],
            latestEventTime: F.time("2026-11-15T00:00:00Z")))
        #expect(behind.control(.alertsOnNewBypass).status == .fail)
        #expect(behind.control(.alertsOnNewBypass).reason.contains("only through 2026-11-10T00:00:00.000Z"))
        let caughtUp = F.analyze(F.inputs(
            runs: [F.run(evaluatedThrough: F.time("2026-11-10T00:00:00Z")), F.run(evaluatedThrough: F.time("2026-11-15T00:00:00Z"))],
            latestEventTime: F.time("2026-11-15T00:00:00Z")))
        #expect(caughtUp.control(.alertsOnNewBypass).status == .pass)
        let neverEvaluated = F.analyze(F.inputs(runs: [F.run(evaluatedThrough: nil)], latestEventTime: F.time("2026-11-15T00:00:00Z")))
        #expect(neverEvaluated.control(.alertsOnNewBypass).status == .fail)
        let nothingToEvaluate = F.analyze(F.inputs(runs: [F.run(evaluatedThrough: nil)]))
        #expect(nothingToEvaluate.control(.alertsOnNewBypass).status == .pass)
    }

    @Test("FP-5 fails when an evaluated enablement raised no alert, warns when bypass alerts are untriaged")
    func fp5Alerts() {
        let account = F.account("svc-backup", aliases: ["svc-backup@contoso.com"], changes: [
            F.change("e1", at: "2026-11-04T00:00:00Z"),
        ])
        let silent = F.analyze(F.inputs(accounts: [account]))
        #expect(silent.control(.alertsOnNewBypass).status == .fail)
        #expect(silent.control(.alertsOnNewBypass).reason.contains("raised no bypass-change alert"))
        #expect(silent.control(.alertsOnNewBypass).reason.contains("e1"))

        let untriaged = F.analyze(F.inputs(accounts: [account], alerts: [
            F.alert(9, signal: .bypassChange, eventID: "e1", at: "2026-11-04T00:00:00Z", triaged: false),
        ]))
        #expect(untriaged.control(.alertsOnNewBypass).status == .warn)
        #expect(untriaged.control(.alertsOnNewBypass).reason.contains("not triaged (9)"))

        let triaged = F.analyze(F.inputs(accounts: [account], alerts: [
            F.alert(9, signal: .bypassChange, eventID: "e1", at: "2026-11-04T00:00:00Z"),
        ]))
        #expect(triaged.control(.alertsOnNewBypass).status == .pass)
    }

    @Test("FP-5 counts every untriaged bypass alert and names the first ten, oldest event first")
    func fp5NamesTheFirstTenUntriaged() {
        let alerts = (1...12).map { index in
            F.alert(Int64(100 + index), signal: .bypassChange, eventID: "e\(index)",
                at: "2026-11-04T00:00:\(String(format: "%02d", index))Z", triaged: index == 5)
        }
        let reason = F.analyze(F.inputs(alerts: alerts)).control(.alertsOnNewBypass).reason
        #expect(reason.contains("11 bypass alerts of the period are not triaged "
            + "(101, 102, 103, 104, 106, 107, 108, 109, 110, 111 and 1 more)"), "\(reason)")
    }

    @Test("A failing control also mentions what only warns, but its findingIDs are the failing ones")
    func failWithWarnings() {
        var coverage = F.fullCoverage()
        coverage[F.day("2026-11-11")] = nil
        let result = F.analyze(F.inputs(admins: [], coverage: coverage))
        let control = result.control(.periodicAudit)
        #expect(control.status == .fail)
        #expect(control.findingIDs == ["coverage-gap:2026-11-11"])
        #expect(control.reason.contains("Also:") && control.reason.contains("authorized_admins"))
    }
}
