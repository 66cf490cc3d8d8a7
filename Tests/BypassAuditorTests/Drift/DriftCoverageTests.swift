import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Drift

@Suite("Drift: coverage gaps, ids and order")
struct DriftCoverageTests {
    typealias F = DriftFixture

    @Test("Consecutive days without data are one finding; separate runs are separate findings")
    func gapsGrouped() throws {
        var coverage = F.fullCoverage()
        for day in ["2026-11-03", "2026-11-04", "2026-11-05", "2026-11-09"] { coverage[F.day(day)] = nil }
        coverage[F.day("2026-11-10")] = 0
        let result = F.analyze(F.inputs(coverage: coverage))
        let gaps = result.findings(.coverageGap)
        #expect(gaps.map(\.id) == ["coverage-gap:2026-11-03..2026-11-05", "coverage-gap:2026-11-09..2026-11-10"])
        #expect(gaps.allSatisfy { $0.severity == .medium && $0.account == nil })
        let first = try #require(gaps.first)
        #expect(first.evidence.map(\.reference) == ["2026-11-03", "2026-11-04", "2026-11-05"])
        #expect(first.evidence.allSatisfy { $0.kind == .day })
        #expect(first.detail.contains("3 days"))
    }

    @Test("A month without any data is one finding, not thirty")
    func monthWithoutData() throws {
        let november = try ReportingPeriod(month: "2026-11")
        let result = F.analyze(F.inputs(coverage: [:], asOf: november.endInstant, period: november))
        let gaps = result.findings(.coverageGap)
        #expect(gaps.map(\.id) == ["coverage-gap:2026-11-01..2026-11-30"])
        #expect(gaps.first?.evidence.count == 30)
    }

    @Test("The as-of day counts only once it is over; a single missing day has a single-day id")
    func partialAsOfDay() {
        var coverage = F.fullCoverage()
        coverage[F.day("2026-11-20")] = nil
        #expect(F.analyze(F.inputs(coverage: coverage)).findings(.coverageGap).isEmpty)
        let endOfDay = F.analyze(F.inputs(coverage: coverage, asOf: F.day("2026-11-20").endInstant))
        #expect(endOfDay.findings(.coverageGap).map(\.id) == ["coverage-gap:2026-11-20"])
    }

    @Test("The default period runs from the first day of the as-of month through the as-of day")
    func defaultPeriod() {
        let period = DriftInputs.defaultPeriod(asOf: F.time("2026-11-20T12:00:00Z"))
        #expect(period.firstDay == F.day("2026-11-01"))
        #expect(period.lastDay == F.day("2026-11-20"))
        #expect(DriftInputs.defaultPeriod(asOf: F.time("2026-11-01T00:00:00Z")).days == [F.day("2026-11-01")])
    }

    /// A world with one of nearly every kind.
    static func busyInputs(shuffled: Bool) -> DriftInputs {
        let rogue = F.account(
            "mallory-ops", changes: [F.change("e-r", at: "2026-11-05T00:00:00Z", actor: "mallory@contoso.com", identity: "mallory-ops")],
            attempts: [F.change("f-r", at: "2026-11-05T00:00:10Z", actor: "eve@contoso.com", identity: "mallory-ops", outcome: .failure)])
        let expiring = F.account("svc-archive")
        let accounts = [F.backup, rogue, expiring]
        let entries = [
            F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-11-01"),
            F.entry("AB-0002", account: "svc-archive", lastReviewedOn: "2026-01-01", expiresOn: "2026-12-01"),
            F.entry("AB-0003", account: "ghost", category: .lawfulMonitoring),
        ]
        var coverage = F.fullCoverage()
        coverage[F.day("2026-11-02")] = nil
        let alerts = [
            F.alert(1, signal: .mailboxAuditDisabled, eventID: "a1", at: "2026-11-06T00:00:00Z", target: "cfo"),
            F.alert(2, signal: .bypassChange, eventID: "e-r", at: "2026-11-05T00:00:00Z", triaged: false),
        ]
        return F.inputs(
            accounts: shuffled ? accounts.reversed() : accounts, entries: shuffled ? entries.reversed() : entries,
            coverage: coverage, alerts: shuffled ? alerts.reversed() : alerts)
    }

    @Test("Ids are identical across runs and input orders; findings are sorted by severity, then id; ids are unique")
    func stableIDsAndOrder() throws {
        let first = F.analyze(Self.busyInputs(shuffled: false))
        let second = F.analyze(Self.busyInputs(shuffled: false))
        let shuffled = F.analyze(Self.busyInputs(shuffled: true))
        #expect(first == second)
        #expect(first.findings.map(\.id) == shuffled.findings.map(\.id))
        #expect(first.findings == shuffled.findings)
        #expect(Set(first.findings.map(\.id)).count == first.findings.count)
        let order = first.findings.map { (Severity.descending.firstIndex(of: $0.severity)!, $0.id) }
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 })
        #expect(first.findings.first?.severity == .critical)
        #expect(Set(first.kinds).isSuperset(of: [
            .unapprovedBypass, .expiredApproval, .expiringSoon, .reviewOverdue, .incompleteApproval,
            .staleAllowlistEntry, .unauthorizedActor, .failedAttempt, .coverageGap, .auditImpairment,
        ]))
        let json = try JSONCoding.string(first)
        #expect(json.contains("\"finding_ids\"") && json.contains("\"entry_id\""))
        let decoded = try JSONCoding.decoder().decode(DriftResult.self, from: Data(json.utf8))
        #expect(decoded.findings.map(\.id) == first.findings.map(\.id))
    }

    @Test("worstSeverity and counts reflect the findings")
    func counts() {
        let result = F.analyze(Self.busyInputs(shuffled: false))
        #expect(result.worstSeverity == .critical)
        #expect(result.count(of: .medium) == result.findings.filter { $0.severity == .medium }.count)
    }
}
