import Foundation
import Testing

import BypassAuditor
@testable import Drift

@Suite("Drift: bypassed accounts against their approvals")
struct DriftApprovalTests {
    typealias F = DriftFixture

    @Test("An approved, current, complete, reviewed exception gives no finding and every control passes")
    func cleanWorld() {
        let result = F.analyze(F.inputs())
        #expect(result.findings.isEmpty)
        #expect(result.controls.map(\.id) == ControlID.allCases)
        #expect(result.controls.allSatisfy { $0.status == .pass }, "\(result.controls)")
        #expect(result.controls.allSatisfy { $0.findingIDs.isEmpty && !$0.reason.isEmpty })
    }

    @Test("A bypass no entry names is unapproved: high, with the account, evidence and a remediation cmdlet")
    func unapprovedBypass() throws {
        let rogue = F.account("mallory-ops", changes: [F.change("evt-42", at: "2026-11-05T10:00:00Z", identity: "mallory-ops")])
        let result = F.analyze(F.inputs(accounts: [F.backup, rogue], alerts: [
            F.alert(1, signal: .bypassChange, eventID: "evt-42", at: "2026-11-05T10:00:00Z"),
        ]))
        let finding = try #require(result.findings(.unapprovedBypass).first)
        #expect(result.findings(.unapprovedBypass).count == 1)
        #expect(finding.id == "unapproved-bypass:name:mallory-ops")
        #expect(finding.severity == .high)
        #expect(finding.account == "mallory-ops")
        #expect(finding.names == ["mallory-ops"])
        #expect(finding.entryID == nil)
        #expect(finding.detail.contains("'mallory-ops'") && finding.detail.contains("no allowlist entry approves it"))
        #expect(finding.action.contains("Set-MailboxAuditBypassAssociation -Identity 'mallory-ops' -AuditBypassEnabled $false"))
        #expect(finding.action.contains("reset the credentials of both '\(F.admin)'"))
        #expect(finding.evidence.contains { $0.kind == .event && $0.reference == "evt-42" && $0.time == F.time("2026-11-05T10:00:00Z") })
        #expect(finding.evidence.contains { $0.kind == .alert && $0.reference == "1" })
    }

    @Test("Unapproved bypass set by an actor outside authorized_admins is critical; unchecked admins keep it high")
    func unapprovedByOutsiderIsCritical() throws {
        let rogue = F.account(
            "svc-x", changes: [F.change("evt-1", at: "2026-10-05T10:00:00Z", actor: "mallory@contoso.com", identity: "svc-x")])
        let checked = F.analyze(F.inputs(accounts: [rogue], entries: []))
        let finding = try #require(checked.findings(.unapprovedBypass).first)
        #expect(finding.severity == .critical)
        #expect(finding.detail.contains("'mallory@contoso.com', who set it, is not in authorized_admins"))
        let unchecked = F.analyze(F.inputs(accounts: [rogue], entries: [], admins: []))
        #expect(unchecked.findings(.unapprovedBypass).first?.severity == .high)
        let byAdmin = F.account("svc-x", changes: [F.change("evt-1", at: "2026-10-05T10:00:00Z", identity: "svc-x")])
        #expect(F.analyze(F.inputs(accounts: [byAdmin], entries: [])).findings(.unapprovedBypass).first?.severity == .high)
    }

    @Test("Matching is by whole name: an entry for svc does not approve svc-backup")
    func noSubstringMatch() {
        let entry = F.entry("AB-0002", account: "svc")
        let result = F.analyze(F.inputs(entries: [entry]))
        #expect(result.findings(.unapprovedBypass).map(\.id) == ["unapproved-bypass:name:svc-backup"])
        #expect(result.findings(.staleAllowlistEntry).map(\.id) == ["stale-allowlist-entry:AB-0002"])
    }

    @Test("Any entry name matches any account name or the GUID, case-insensitively")
    func aliasAndGUIDMatch() {
        let guid = "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
        let account = F.account("svc-backup", guid: guid)
        let byGUID = F.entry("AB-0001", account: "backup@contoso.com", aliases: [guid.uppercased()])
        #expect(F.analyze(F.inputs(accounts: [account], entries: [byGUID])).findings.isEmpty)
        let byCase = F.entry("AB-0001", account: "SVC-BACKUP@CONTOSO.COM")
        #expect(F.analyze(F.inputs(entries: [byCase])).findings.isEmpty)
    }

    @Test("The expiry day itself is still approved; the day after, the approval has expired (high)")
    func expiryDayBoundary() throws {
        let onLastDay = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-11-20")]))
        #expect(onLastDay.findings(.expiredApproval).isEmpty)
        #expect(onLastDay.findings(.unapprovedBypass).isEmpty)
        #expect(onLastDay.findings(.expiringSoon).first?.detail.contains("today is its last valid day") == true)

        let dayAfter = F.analyze(F.inputs(entries: [F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-11-19")]))
        let expired = try #require(dayAfter.findings(.expiredApproval).first)
        #expect(expired.id == "expired-approval:name:svc-backup")
        #expect(expired.severity == .high)
        #expect(expired.entryID == "AB-0001")
        #expect(expired.detail.contains("valid through 2026-11-19"))
        #expect(expired.action.contains("bypass-auditor allowlist renew AB-0001"))
        #expect(expired.action.contains("bypass-auditor allowlist remove AB-0001"))
        #expect(expired.evidence.contains { $0.kind == .allowlistEntry && $0.reference == "AB-0001" })
        #expect(dayAfter.findings(.expiringSoon).isEmpty)
        #expect(dayAfter.findings(.unapprovedBypass).isEmpty)
    }

    @Test("An exception approved after the as-of day did not exist yet: the bypass was unapproved then")
    func approvalInTheFuture() throws {
        let entry = F.entry("AB-0001", account: "svc-backup", approvedOn: "2026-12-01", lastReviewedOn: nil)
        let result = F.analyze(F.inputs(entries: [entry]))
        let finding = try #require(result.findings(.unapprovedBypass).first)
        #expect(finding.entryID == "AB-0001")
        #expect(finding.detail.contains("approves it only from 2026-12-01"))
    }

    @Test("One expired and one current entry for the same account: approved (but the names are ambiguous)")
    func oneCurrentEntryIsEnough() {
        let expired = F.entry("AB-0001", account: "svc-backup", expiresOn: "2026-10-01")
        let current = F.entry("AB-0009", account: "svc-backup@contoso.com")
        let result = F.analyze(F.inputs(entries: [expired, current]))
        #expect(result.findings(.expiredApproval).isEmpty)
        #expect(result.findings(.unapprovedBypass).isEmpty)
        #expect(result.findings(.ambiguousIdentity).map(\.id) == ["ambiguous-identity:account:name:svc-backup"])
    }

    @Test("An unbypassed account with no entry is no finding")
    func removedBypassNeedsNoApproval() {
        let removed = F.account(
            "old-tool", bypassed: false,
            changes: [
                F.change("e1", at: "2026-02-01T00:00:00Z", identity: "old-tool"),
                F.change("e2", at: "2026-03-01T00:00:00Z", identity: "old-tool", direction: .removed),
            ])
        #expect(F.analyze(F.inputs(accounts: [F.backup, removed])).findings.isEmpty)
    }

    @Test("Account names reach the recommended cmdlet only as a quoted PowerShell literal")
    func hostileNameIsQuoted() throws {
        let name = "x'; Remove-Mailbox -Identity ceo -Confirm:$false; '\u{2019}"
        let hostile = F.account(name, changes: [F.change("e1", at: "2026-10-05T10:00:00Z", identity: name)])
        let finding = try #require(F.analyze(F.inputs(accounts: [hostile], entries: [])).findings(.unapprovedBypass).first)
        #expect(finding.action.contains("-Identity 'x''; Remove-Mailbox -Identity ceo -Confirm:$false; ''\u{2019}\u{2019}' -AuditBypassEnabled $false"))
    }
}
