import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Drift
import Inventory
@testable import Reporting

@Suite("Report builder")
struct ReportBuilderTests {
    let report = ReportSamples.report

    private func row(_ name: String) throws -> ReportAccount {
        try #require(report.inventory.first { $0.displayName == name })
    }

    @Test("every account bypassed at as-of is listed with its approval state, violations first")
    func inventoryStatuses() throws {
        #expect(report.inventory.map(\.displayName) == [
            "mallory-helper@contoso.com", "archiver@contoso.com", "legal-hold@contoso.com", "svc-backup@contoso.com",
        ])
        #expect(try row("mallory-helper@contoso.com").status == .unapproved)
        #expect(try row("archiver@contoso.com").status == .expired)
        #expect(try row("legal-hold@contoso.com").status == .expiringSoon)
        #expect(try row("svc-backup@contoso.com").status == .approved)
        #expect(!report.inventory.contains { $0.displayName == "temp-migration@contoso.com" }, "removed before as-of")
    }

    @Test("an approved row shows the register's facts: category, owner, approver, ticket, justification, dates")
    func approvedRowCarriesRegisterFacts() throws {
        let backup = try row("svc-backup@contoso.com")
        #expect(backup.entryID == "AB-0001")
        #expect(backup.category == .thirdPartyTool)
        #expect(backup.tool == "Veeam Backup for Microsoft 365")
        #expect(backup.owner == "backup-team@contoso.com")
        #expect(backup.approvedBy == "ciso@contoso.com")
        #expect(backup.ticket == "CHG-1234")
        #expect(backup.justification == "Nightly backup reads every mailbox.")
        #expect(backup.approvedOn == UTCDay("2026-01-15"))
        #expect(backup.lastReviewedOn == UTCDay("2026-10-01"))
        #expect(backup.expiresOn == UTCDay("2027-01-15"))
        #expect(backup.reviewDue == UTCDay("2026-12-30"))
        #expect(!backup.reviewOverdue)
        #expect(backup.since == ReportSamples.time("2026-01-16T09:00:00Z"))
        #expect(!backup.sinceIsUpperBound, "an event dates it")
        #expect(backup.setByAuthorized == true)

        let legal = try row("legal-hold@contoso.com")
        #expect(legal.reviewOverdue, "last reviewed 2026-05-01 + 90 days is before 2026-10-31")
        #expect(legal.findingIDs.contains("review-overdue:name:legal-hold@contoso.com"))

        let mallory = try row("mallory-helper@contoso.com")
        #expect(mallory.entryID == nil)
        #expect(mallory.setBy == ReportSamples.attacker)
        #expect(mallory.setByAuthorized == false)
    }

    @Test("changes in the period: enables, removals and failed attempts with actor, time, IP and event id; nothing before the period")
    func changesInPeriod() throws {
        #expect(report.changes.map(\.eventID) == ["evt-migration-on", "evt-migration-off", "evt-mallory-try", "evt-mallory-on"])
        let attempt = try #require(report.changes.first { $0.kind == .failedAttempt })
        #expect(attempt.actor == ReportSamples.attacker)
        #expect(attempt.clientIP == "203.0.113.7")
        #expect(attempt.time == ReportSamples.time("2026-10-12T03:10:00Z"))
        #expect(attempt.actorAuthorized == false)
        #expect(attempt.account == "mallory-helper@contoso.com")
        #expect(report.summary.changesInPeriod.enabled == 2)
        #expect(report.summary.changesInPeriod.removed == 1)
        #expect(report.summary.changesInPeriod.failedAttempts == 1)
    }

    @Test("blind windows: from the enabling change until removal or as-of, with the actor who opened them")
    func blindWindows() throws {
        #expect(report.investigations.map(\.account) == [
            "mallory-helper@contoso.com", "archiver@contoso.com", "temp-migration@contoso.com",
        ])
        let mallory = try #require(report.investigations.first { $0.reason == .unapproved })
        let open = try #require(mallory.currentWindow)
        #expect(open.start == ReportSamples.time("2026-10-12T03:14:00Z"))
        #expect(open.end == nil && open.isOpen)
        #expect(open.openedBy == ReportSamples.attacker)
        #expect(open.openedByAuthorized == false)
        #expect(open.openedFromIP == "203.0.113.7")
        #expect(open.openedByEventID == "evt-mallory-on")
        #expect(open.durationSeconds == Int(ReportSamples.asOf.timeIntervalSince(ReportSamples.time("2026-10-12T03:14:00Z"))))

        let migration = try #require(report.investigations.first { $0.reason == .removedUnapproved })
        let closed = try #require(migration.currentWindow)
        #expect(closed.start == ReportSamples.time("2026-10-02T08:00:00Z"))
        #expect(closed.end == ReportSamples.time("2026-10-05T17:00:00Z"))
        #expect(closed.closedBy == ReportSamples.admin)
        #expect(closed.durationSeconds == 3 * 86_400 + 9 * 3_600)
        #expect(migration.accountAnchor == nil, "no longer in the inventory")

        let archiver = try #require(report.investigations.first { $0.reason == .expired })
        #expect(archiver.entryID == "AB-0003")
        #expect(archiver.currentWindow?.start == ReportSamples.time("2025-10-01T08:00:00Z"), "the window began when auditing stopped, before the period")
    }

    @Test("blind windows walk an account's changes in time order, ties as listed, sorting only a list out of order")
    func changesInTimeOrder() {
        func change(_ id: String, _ time: String) -> BypassChange {
            BypassChange(
                eventID: id, time: ReportSamples.time(time), tenant: TenantID("contoso"), actor: nil, clientIP: nil,
                identity: "svc", objectID: nil, direction: .enabled, outcome: .success, originalStatus: nil, kind: .enabled)
        }
        let inOrder = [change("a", "2026-10-01T00:00:00Z"), change("b", "2026-10-01T00:00:00Z"), change("c", "2026-10-02T00:00:00Z")]
        #expect(ReportContext.inTimeOrder(inOrder).map(\.eventID) == ["a", "b", "c"])
        // A change stored without a time stands at when it was stored, which can be later than changes after it.
        let outOfOrder = [change("late", "2026-10-03T00:00:00Z"), change("b", "2026-10-01T00:00:00Z"), change("a", "2026-10-01T00:00:00Z"),
                          change("c", "2026-10-02T00:00:00Z")]
        #expect(ReportContext.inTimeOrder(outOfOrder).map(\.eventID) == ["b", "a", "c", "late"])
        #expect(ReportContext.inTimeOrder([]).isEmpty)
    }

    @Test("the seed's checklist is filled with what the data answers, for the actor as well as the target")
    func checklist() throws {
        let mallory = try #require(report.investigations.first { $0.reason == .unapproved })
        #expect(mallory.checklist.count == 13)
        #expect(mallory.checklist.filter { $0.phase == .investigation }.count == 6)
        #expect(mallory.checklist.filter { $0.phase == .response }.count == 7)
        func item(_ id: String) throws -> ChecklistItem { try #require(mallory.checklist.first { $0.id == id }) }
        #expect(try item("investigate-1").state == .answered)
        #expect(try item("investigate-1").answer?.contains("evt-mallory-on") == true)
        #expect(try item("investigate-2").answer?.contains("NOT in the register's authorized_admins") == true)
        #expect(try item("investigate-3").answer?.contains("1 failed attempt on this account") == true)
        #expect(try item("investigate-5").answer?.contains("No register entry") == true)
        #expect(try item("respond-1").answer?.contains(ReportSamples.attacker) == true, "isolate the actor too")
        #expect(try item("respond-4").answer?.contains(ReportSamples.attacker) == true, "reset the actor too")
        #expect(try item("respond-6").state == .answered, "alert 3 fired for the enabling event")

        let migration = try #require(report.investigations.first { $0.reason == .removedUnapproved })
        #expect(migration.checklist.first { $0.id == "respond-2" }?.state == .answered, "already removed")
    }

    @Test("findings come from drift, most severe first, with controls, references and since-last-report")
    func findings() throws {
        #expect(report.findings.count == ReportSamples.findings.count)
        #expect(report.findings.first?.kind == .unapprovedBypass)
        #expect(zip(report.findings, report.findings.dropFirst()).allSatisfy { $0.severity >= $1.severity })
        let expired = try #require(report.findings.first { $0.kind == .expiredApproval })
        #expect(expired.controls == [.thirdPartyToolsDocumented])
        #expect(expired.references.contains("cis-m365-6-1-3"))
        #expect(expired.account == "archiver@contoso.com")
        #expect(expired.sinceLastReport == .new)
        #expect(report.findings.first { $0.kind == .reviewOverdue }?.sinceLastReport == .persisting)
    }

    @Test("comparison with the previous report: new, resolved and persisting findings, accounts added and removed")
    func comparison() throws {
        let comparison = report.comparison
        let previous = try #require(comparison.previous)
        #expect(previous.periodLabel == "2026-09")
        #expect(previous.isImmediatelyPreceding)
        #expect(comparison.resolvedFindings.map(\.id) == ["unapproved-bypass:name:ghost@contoso.com"])
        #expect(Set(comparison.persistingFindings.map(\.id)) == ["review-overdue:name:legal-hold@contoso.com", "stale-allowlist-entry:AB-0004"])
        #expect(comparison.newFindings.count == report.findings.count - 2)
        #expect(comparison.accountsAdded.map(\.name) == ["mallory-helper@contoso.com"])
        #expect(comparison.accountsRemoved.map(\.name) == ["ghost@contoso.com"])
    }

    @Test("the trend shows at most twelve periods, the latest run of each, this report last")
    func trend() {
        #expect(report.trend.count == 12)
        #expect(report.trend.last?.isCurrent == true)
        #expect(report.trend.last?.periodLabel == "2026-10")
        #expect(report.trend.first?.periodLabel == "2025-11", "2025-10 is the thirteenth period back")
        let september = report.trend.first { $0.periodLabel == "2026-09" }
        #expect(september?.bypassedAccounts == 4, "the later September revision wins")
        #expect(report.trend.map(\.periodLabel) == report.trend.map(\.periodLabel).sorted())
    }

    @Test("a first report has nothing to compare with")
    func firstReport() {
        let first = ReportBuilder.build(ReportSamples.inputs(previous: nil))
        #expect(first.comparison.previous == nil)
        #expect(first.comparison.newFindings.isEmpty)
        #expect(first.findings.allSatisfy { $0.sinceLastReport == nil })
        #expect(first.trend.count == 1)
    }

    @Test("allowlist health: expiring soon, expired, reviews overdue, stale and incomplete entries, edits and direct changes")
    func allowlistHealth() {
        let health = report.allowlistHealth
        #expect(health.expiringSoon.map(\.entryID) == ["AB-0002"])
        #expect(health.expiringSoon.first?.daysFromAsOf == 15)
        #expect(health.expired.map(\.entryID) == ["AB-0003"])
        #expect(health.expired.first?.findingID == "expired-approval:name:archiver@contoso.com")
        #expect(health.reviewsOverdue.map(\.entryID) == ["AB-0002"])
        #expect(health.stale.map(\.entryID) == ["AB-0004"])
        #expect(health.stale.first?.findingID == "stale-allowlist-entry:AB-0004")
        #expect(health.incomplete.map(\.entryID) == ["AB-0004"])
        #expect(health.incomplete.first?.missingFields == ["tool"])
        #expect(health.edits.map(\.entryID) == ["AB-0001"], "the August edit is outside the period")
        #expect(health.versionChanges.map(\.direct) == [false, true], "AB-0004 was added without the tool")
        #expect(health.authorizedAdmins == [ReportSamples.admin])
    }

    @Test("coverage lists every day of the period, the gaps, and the snapshots used (baseline plus those in the period)")
    func coverage() {
        let coverage = report.coverage
        #expect(coverage.days.count == 31)
        #expect(coverage.daysWithoutData == 2)
        #expect(coverage.gaps == [DayRange(first: UTCDay("2026-10-20")!, last: UTCDay("2026-10-21")!)])
        #expect(coverage.snapshots.map(\.id) == [1, 2])
        #expect(coverage.snapshots.map(\.baseline) == [true, false])
        #expect(report.summary.daysWithoutData == 2)
    }

    @Test("the summary: verdict, sentence and every count")
    func summary() {
        let summary = report.summary
        #expect(summary.verdict == .actionRequired)
        #expect(summary.findingsBySeverity == SeverityCounts(critical: 1, high: 2, medium: 4, low: 2, info: 0))
        #expect(summary.controlsByStatus == ControlStatusCounts(pass: 1, warn: 3, fail: 1))
        #expect(summary.controls.map(\.id) == ControlID.allCases)
        #expect(summary.bypassedAccounts == 4)
        #expect(summary.accountsByStatus == AccountStatusCounts(approved: 1, expiringSoon: 1, expired: 1, unapproved: 1))
        #expect(summary.alertsInPeriod == 3)
        #expect(summary.openAlerts == 2)
        #expect(summary.verdictSentence.hasPrefix("Action required: 4 accounts bypass mailbox auditing at 2026-10-31"))
        #expect(summary.verdictSentence.contains("9 findings (1 critical, 2 high, 4 medium, 2 low)"))
        #expect(summary.verdictSentence.contains("controls: 1 pass, 3 warn, 1 fail"))
    }

    @Test("a clean tenant reads 'No action needed'")
    func cleanVerdict() {
        var inputs = ReportSamples.inputs()
        inputs.inventory.accounts = [ReportSamples.backup]
        inputs.drift.findings = []
        inputs.drift.controls = ReportSamples.controls.map { var control = $0; control.status = .pass; control.findingIDs = []; return control }
        let clean = ReportBuilder.build(inputs)
        #expect(clean.summary.verdict == .noActionNeeded)
        #expect(clean.summary.verdictSentence.hasPrefix("No action needed: 1 account bypasses mailbox auditing"))
        #expect(clean.remediation.commands.isEmpty)
        #expect(clean.investigations.isEmpty)
    }

    @Test("remediation removes only unapproved and expired bypasses, never an approved one")
    func remediationNeverTouchesApproved() throws {
        #expect(report.remediation.commands.map(\.exchangeName) == ["mallory-helper@contoso.com", "archiver@contoso.com"])
        // Even when drift flags an approved account for something else, the plan leaves it alone.
        var inputs = ReportSamples.inputs()
        inputs.drift.findings.append(ReportSamples.finding(.snapshotMismatch, .medium, account: ReportSamples.backup))
        let rebuilt = ReportBuilder.build(inputs)
        #expect(!rebuilt.remediation.commands.contains { $0.exchangeName.contains("svc-backup") })
        #expect(rebuilt.remediation.commands.allSatisfy { $0.status.isViolation })
        let mallory = try #require(report.remediation.commands.first)
        #expect(mallory.line == "Set-MailboxAuditBypassAssociation -Identity 'mallory-helper@contoso.com' -AuditBypassEnabled $false  # unapproved")
        let script = RemediationScriptRenderer.render(report)
        #expect(!script.contains("svc-backup"))
        #expect(!script.contains("legal-hold"))
    }

    @Test("compliance mapping names the five frameworks' controls with a status each")
    func compliance() throws {
        let ids = report.compliance.map(\.identifier)
        for expected in ["6.1.3", "MS.EXO.13.1v1", "AU-2", "AU-12", "T1562.001", "T1562.008"] {
            #expect(ids.contains(expected))
        }
        let cis = try #require(report.compliance.first { $0.identifier == "6.1.3" })
        #expect(cis.status == .fail)
        #expect(cis.framework.contains("v5.0.0"))
        #expect(report.compliance.first { $0.identifier == "MS.EXO.13.1v1" }?.status == .warn, "coverage gaps: absence proves nothing")
    }

    @Test("provenance: tool version, rule and register digests, chain head, report id")
    func provenance() {
        let provenance = report.provenance
        #expect(provenance.toolVersion == BypassAuditorVersion.current)
        #expect(provenance.ruleFiles.map(\.path) == ["Policies/rules/bypass.toml", "Policies/rules/impairment.toml"])
        #expect(provenance.allowlistSHA256 == String(repeating: "d", count: 64), "taken from the register when not given")
        #expect(provenance.chainHead == String(repeating: "8", count: 64))
        #expect(provenance.detectionRuleSetDigests == [String(repeating: "7", count: 64), String(repeating: "9", count: 64)], "distinct, sorted")
        #expect(report.id.hasPrefix("BA-2026-10-r1-"))
        #expect(report.id.count == "BA-2026-10-r1-".count + 8)
        #expect(provenance.reportID == report.id)
    }

    @Test("the builder is pure: the same inputs give the same report; another revision another id")
    func deterministic() {
        #expect(ReportBuilder.build(ReportSamples.inputs()) == report)
        let rerun = ReportBuilder.build(ReportSamples.inputs(revision: 2))
        #expect(rerun.id.hasPrefix("BA-2026-10-r2-"))
        #expect(rerun.id != report.id)
        var sameClock = ReportSamples.inputs()
        sameClock.runNonce = "another run"
        #expect(ReportBuilder.build(sameClock).id != report.id, "two runs at the same instant still get distinct ids")
    }

    @Test("anchors derive from identity only, are valid ids, and differ for different identities")
    func anchors() {
        #expect(ReportAnchor.control(.regularReview) == "control-fp-3")
        #expect(ReportAnchor.finding("coverage-gap:2026-10-20") == ReportAnchor.finding("coverage-gap:2026-10-20"))
        #expect(ReportAnchor.account("name:a b") != ReportAnchor.account("name:a-b"))
        #expect(ReportAnchor.account("name:a-b") == "account-name-a-b-" + String(SHA256Digest.hex(of: "name:a-b").prefix(8)))
        let hostile = ReportAnchor.finding("unapproved-bypass:name:<img src=x onerror=alert(1)>")
        #expect(hostile.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        #expect(ReportAnchor.slug(String(repeating: "x", count: 300)).count <= 80 + 9)
        let all = report.findings.map(\.anchor) + report.inventory.map(\.anchor) + report.investigations.map(\.anchor)
        #expect(Set(all).count == all.count)
    }
}
