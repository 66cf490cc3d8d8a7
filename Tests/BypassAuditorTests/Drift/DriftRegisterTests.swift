import Foundation
import Testing

import BypassAuditor
@testable import Drift
@testable import Inventory
@testable import Policy

@Suite("Drift: the register's upkeep")
struct DriftRegisterTests {
    typealias F = DriftFixture

    @Test("expiring-soon fires within expiry_warning_days (boundary included) and not beyond", arguments: [
        ("2026-12-20", true),  // 30 days left: inside the 30-day warning
        ("2026-12-21", false),  // 31 days left
        ("2026-11-21", true),
    ])
    func expiringSoon(expiresOn: String, fires: Bool) throws {
        let result = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: expiresOn)]))
        #expect(result.findings(.expiringSoon).count == (fires ? 1 : 0))
        if fires {
            let finding = try #require(result.findings(.expiringSoon).first)
            #expect(finding.id == "expiring-soon:AB-0001")
            #expect(finding.severity == .low)
            #expect(finding.action.contains("bypass-auditor allowlist renew AB-0001"))
        }
    }

    @Test("review-overdue once the as-of day is later than last_reviewed_on + review_interval_days")
    func reviewOverdue() throws {
        // 2026-08-22 + 90 days = 2026-11-20, the as-of day: due today, not yet overdue.
        let dueToday = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", lastReviewedOn: "2026-08-22")]))
        #expect(dueToday.findings(.reviewOverdue).isEmpty)
        let overdue = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", lastReviewedOn: "2026-08-21")]))
        let finding = try #require(overdue.findings(.reviewOverdue).first)
        #expect(finding.id == "review-overdue:AB-0001")
        #expect(finding.severity == .medium)
        #expect(finding.detail.contains("last reviewed on 2026-08-21") && finding.detail.contains("1 day overdue"))
    }

    @Test("Without last_reviewed_on the approval counts as the last review; with neither, incomplete-approval says so")
    func reviewFallsBackToApproval() {
        let recent = F.entry("AB-0001", account: "svc-backup", approvedOn: "2026-10-01", lastReviewedOn: nil)
        #expect(F.analyze(F.inputs(entries: [recent])).findings(.reviewOverdue).isEmpty)
        let old = F.entry("AB-0001", account: "svc-backup", approvedOn: "2026-01-15", lastReviewedOn: nil)
        #expect(F.analyze(F.inputs(entries: [old])).findings(.reviewOverdue).first?.detail.contains("(approved_on)") == true)
        var undated = F.entry("AB-0001", account: "svc-backup", lastReviewedOn: nil)
        undated.approvedOn = nil
        let result = F.analyze(F.inputs(entries: [undated]))
        #expect(result.findings(.reviewOverdue).isEmpty)
        #expect(result.findings(.incompleteApproval).first?.detail.contains("approved_on") == true)
    }

    @Test("incomplete-approval names the missing fields; the entry still approves its account")
    func incompleteApproval() throws {
        let lawful = F.entry("AB-0003", account: "svc-backup", category: .lawfulMonitoring, legalBasis: " ")
        let result = F.analyze(F.inputs(entries: [lawful]))
        let finding = try #require(result.findings(.incompleteApproval).first)
        #expect(finding.id == "incomplete-approval:AB-0003")
        #expect(finding.severity == .medium)
        #expect(finding.detail.contains("legal_basis") && finding.detail.contains("cannot be verified"))
        #expect(result.findings(.unapprovedBypass).isEmpty)
        #expect(result.findings.count == 1)

        var noTool = F.entry("AB-0001", account: "svc-backup")
        noTool.tool = nil
        noTool.ticket = ""
        let toolResult = F.analyze(F.inputs(entries: [noTool]))
        #expect(toolResult.findings(.incompleteApproval).first?.detail.contains("tool, ticket") == true)
    }

    @Test("stale-allowlist-entry: an approved account whose bypass was removed, or an entry naming no known account")
    func staleEntries() throws {
        let removed = F.account(
            "svc-backup", aliases: ["svc-backup@contoso.com"], bypassed: false,
            changes: [
                F.change("e1", at: "2026-02-01T00:00:00Z"),
                F.change("e2", at: "2026-11-03T00:00:00Z", direction: .removed),
            ])
        let result = F.analyze(F.inputs(accounts: [removed], entries: [F.backupEntry, F.entry("AB-0005", account: "ghost")]))
        let stale = result.findings(.staleAllowlistEntry)
        #expect(stale.map(\.id) == ["stale-allowlist-entry:AB-0001", "stale-allowlist-entry:AB-0005"])
        #expect(stale.allSatisfy { $0.severity == .low })
        let first = try #require(stale.first)
        #expect(first.detail.contains("removed 2026-11-03T00:00:00.000Z"))
        #expect(first.evidence.contains { $0.kind == .event && $0.reference == "e2" })
        #expect(first.action.contains("bypass-auditor allowlist remove AB-0001"))
        #expect(stale[1].detail.contains("no account with any of its names"))
    }

    @Test("An expired entry whose account has no bypass is stale, not an expired approval")
    func expiredAndUnused() {
        let removed = F.account("svc-backup", bypassed: false, changes: [
            F.change("e1", at: "2026-02-01T00:00:00Z"), F.change("e2", at: "2026-03-01T00:00:00Z", direction: .removed),
        ])
        let result = F.analyze(F.inputs(
            accounts: [removed], entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-06-30")]))
        #expect(result.findings(.expiredApproval).isEmpty)
        #expect(result.findings(.staleAllowlistEntry).first?.detail.contains("also expired after 2026-06-30") == true)
    }

    @Test("ambiguous-identity: a name of several accounts, an account of several entries, an entry of several accounts")
    func ambiguities() {
        let a = F.account("svc-a", aliases: ["svc"], guid: "11111111-1111-1111-1111-111111111111")
        let b = F.account("svc-b", aliases: ["svc"], guid: "22222222-2222-2222-2222-222222222222")
        let ambiguity = IdentityAmbiguity(name: "svc", accounts: [a.id, b.id], detail: "two GUIDs share the name")
        let entry = F.entry("AB-0007", account: "svc")
        let result = F.analyze(F.inputs(accounts: [a, b], entries: [entry], ambiguities: [ambiguity]))
        let ids = result.findings(.ambiguousIdentity).map(\.id)
        #expect(ids.contains("ambiguous-identity:name:svc"))
        #expect(ids.contains("ambiguous-identity:entry:AB-0007"))
        #expect(result.findings(.ambiguousIdentity).allSatisfy { $0.severity == .medium })
        let byName = result.findings(.ambiguousIdentity).first { $0.id == "ambiguous-identity:name:svc" }
        #expect(byName?.entryID == "AB-0007")
        #expect(byName?.evidence.contains { $0.reference == "evt-svc-a-on" } == true)
    }
}

@Suite("Drift: register evidence")
struct DriftRegisterEvidenceTests {
    @Test("Entry evidence points at the register line and says what is missing")
    func entryEvidence() throws {
        var entry = DriftFixture.entry("AB-0001", account: "svc-backup")
        entry.owner = nil
        entry.position = SourcePosition(line: 12, column: 5)
        let result = DriftFixture.analyze(DriftFixture.inputs(entries: [entry]))
        let finding = try #require(result.findings(.incompleteApproval).first)
        #expect(finding.evidence == [
            Evidence(kind: .allowlistEntry, reference: "AB-0001", note: "Policies/allowlist.yaml:12; missing owner")
        ])
    }
}
