import Foundation
import Testing

import BypassAuditor
@testable import Core
@testable import Inventory

@Suite("Drift: activity in the period")
struct DriftActivityTests {
    typealias F = DriftFixture

    @Test("unauthorized-actor: each change in the period by someone outside authorized_admins, and only those")
    func unauthorizedActor() throws {
        let account = F.account(
            "svc-backup", aliases: ["svc-backup@contoso.com"],
            changes: [
                F.change("e-old", at: "2026-10-30T00:00:00Z", actor: "eve@contoso.com"),  // before the period
                F.change("e-off", at: "2026-11-02T00:00:00Z", actor: "EXO-ADMIN@contoso.com", direction: .removed),
                F.change("e-on", at: "2026-11-04T08:00:00Z", actor: "mallory@contoso.com"),
                F.change("e-late", at: "2026-11-21T00:00:00Z", actor: "mallory@contoso.com", direction: .removed),  // after as-of
            ])
        let result = F.analyze(F.inputs(accounts: [account]))
        let findings = result.findings(.unauthorizedActor)
        #expect(findings.map(\.id) == ["unauthorized-actor:e-on"])
        let finding = try #require(findings.first)
        #expect(finding.severity == .high)
        #expect(finding.account == "svc-backup")
        #expect(finding.detail.contains("'mallory@contoso.com' enabled the mailbox audit bypass of 'svc-backup'"))
        #expect(finding.action.contains("reset the credentials of 'mallory@contoso.com'"))
        #expect(finding.evidence.first?.reference == "e-on")

        let unchecked = F.analyze(F.inputs(accounts: [account], admins: []))
        #expect(unchecked.findings(.unauthorizedActor).isEmpty)
    }

    @Test("A successful indeterminate record by an outsider is unauthorized too, once")
    func unauthorizedIndeterminate() {
        let record = F.change(
            "e-x", at: "2026-11-06T00:00:00Z", actor: "mallory@contoso.com", identity: nil, direction: .unknown)
        let result = F.analyze(F.inputs(indeterminate: [record]))
        #expect(result.findings(.unauthorizedActor).map(\.id) == ["unauthorized-actor:e-x"])
        #expect(result.findings(.indeterminateChange).map(\.id) == ["indeterminate-change:e-x"])
    }

    @Test("failed-attempt groups an account's failures in the period and says a role holder made them")
    func failedAttempts() throws {
        let attempts = [
            F.change("f0", at: "2026-10-31T23:00:00Z", actor: "eve@contoso.com", outcome: .failure),
            F.change("f1", at: "2026-11-07T01:00:00Z", actor: "eve@contoso.com", outcome: .failure),
            F.change("f2", at: "2026-11-07T01:05:00Z", actor: "eve@contoso.com", outcome: .failure),
        ]
        let account = F.account("svc-backup", aliases: ["svc-backup@contoso.com"], attempts: attempts)
        let result = F.analyze(F.inputs(accounts: [account], alerts: [
            F.alert(5, signal: .bypassFailedAttempt, eventID: "f1", at: "2026-11-07T01:00:00Z"),
        ]))
        let finding = try #require(result.findings(.failedAttempt).first)
        #expect(result.findings(.failedAttempt).count == 1)
        #expect(finding.id == "failed-attempt:name:svc-backup")
        #expect(finding.severity == .medium)
        #expect(finding.detail.contains("2 failed attempts"))
        #expect(finding.detail.contains("hides Set-MailboxAuditBypassAssociation from accounts whose roles do not include it"))
        #expect(finding.evidence.filter { $0.kind == .event }.map(\.reference) == ["f1", "f2"])
        #expect(finding.evidence.contains { $0.kind == .alert && $0.reference == "5" })
        #expect(F.analyze(F.inputs(accounts: [F.account("svc-backup", attempts: [attempts[0]])])).findings(.failedAttempt).isEmpty)
    }

    @Test("indeterminate-change: in the period, or not yet settled by a later snapshot")
    func indeterminateChanges() {
        let inPeriod = F.change("i1", at: "2026-11-12T00:00:00Z", identity: nil)
        let beforeSnapshot = F.change("i2", at: "2026-09-01T00:00:00Z", identity: nil)
        let afterSnapshot = F.change("i3", at: "2026-10-20T00:00:00Z", identity: "svc-q", direction: .unknown)
        let oldSnapshot = SnapshotSummary(
            id: 3, tenant: F.tenant, takenAt: F.time("2026-10-01T00:00:00Z"), takenAtGiven: true, fileName: "s.csv",
            sha256: "x", rows: 5, complete: true)
        let result = F.analyze(F.inputs(snapshots: [oldSnapshot], indeterminate: [inPeriod, beforeSnapshot, afterSnapshot]))
        #expect(result.findings(.indeterminateChange).map(\.id) == ["indeterminate-change:i1", "indeterminate-change:i3"])
        #expect(result.findings(.indeterminateChange).allSatisfy { $0.severity == .medium })
        let noSnapshot = F.analyze(F.inputs(snapshots: [], indeterminate: [beforeSnapshot]))
        #expect(noSnapshot.findings(.indeterminateChange).map(\.id) == ["indeterminate-change:i2"])
        let settled = F.analyze(F.inputs(indeterminate: [beforeSnapshot]))
        #expect(settled.findings(.indeterminateChange).isEmpty)
    }

    @Test("audit-impairment: severities per kind, grouped per target, only this tenant's alerts in the period")
    func auditImpairment() throws {
        let alerts = [
            F.alert(1, signal: .organizationAuditDisabled, eventID: "a1", at: "2026-11-03T00:00:00Z"),
            F.alert(2, signal: .unifiedAuditIngestionDisabled, eventID: "a2", at: "2026-11-03T00:01:00Z"),
            F.alert(3, signal: .mailboxAuditActionsReduced, eventID: "a3", at: "2026-11-04T00:00:00Z", target: "ceo"),
            F.alert(4, signal: .mailboxAuditActionsReduced, eventID: "a4", at: "2026-11-05T00:00:00Z", target: "CEO"),
            F.alert(5, signal: .mailboxAuditDisabled, eventID: "a5", at: "2026-11-04T00:00:00Z", target: "cfo"),
            F.alert(6, signal: .mailboxAuditDisabled, eventID: "a6", at: "2026-10-04T00:00:00Z", target: "old"),
            F.alert(7, signal: .organizationAuditDisabled, eventID: "a7", at: "2026-11-03T00:00:00Z", tenant: TenantID("other")),
            F.alert(8, signal: .bypassChange, eventID: "a8", at: "2026-11-03T00:00:00Z"),
        ]
        let result = F.analyze(F.inputs(alerts: alerts))
        let findings = result.findings(.auditImpairment)
        #expect(findings.map(\.id) == [
            "audit-impairment:organization-audit-disabled",
            "audit-impairment:unified-audit-ingestion-disabled",
            "audit-impairment:mailbox-audit-actions-reduced:ceo",
            "audit-impairment:mailbox-audit-disabled:cfo",
        ])
        #expect(findings.map(\.severity) == [.critical, .critical, .high, .medium])
        let reduced = try #require(findings.first { $0.id.hasSuffix(":ceo") })
        #expect(reduced.evidence.filter { $0.kind == .alert }.map(\.reference) == ["3", "4"])
        #expect(reduced.detail.contains("2 times between"))
        #expect(findings[0].action.contains("Set-OrganizationConfig -AuditDisabled $false"))
    }

    @Test("An impairment that only ever failed is reported as an attempt, at most medium")
    func failedImpairment() {
        let alert = F.alert(1, signal: .organizationAuditDisabled, eventID: "a1", at: "2026-11-03T00:00:00Z", outcome: .failure)
        let finding = F.analyze(F.inputs(alerts: [alert])).findings(.auditImpairment).first
        #expect(finding?.severity == .medium)
        #expect(finding?.detail.contains("Every attempt failed") == true)
    }

    @Test("unexplained-bypass and snapshot-mismatch come from current snapshots, one finding per account")
    func reconciliation() throws {
        let old = SnapshotSummary(
            id: 2, tenant: F.tenant, takenAt: F.time("2026-09-01T00:00:00Z"), takenAtGiven: true, fileName: "old.csv",
            sha256: "o", rows: 3, complete: false)
        let hidden = F.account("svc-hidden", changes: [])
        func discrepancy(_ kind: SnapshotDiscrepancy.Kind, _ account: InventoryAccount?, name: String, snapshot: SnapshotSummary, logState: Bool?)
            -> SnapshotDiscrepancy
        {
            SnapshotDiscrepancy(
                kind: kind, account: account?.id, accountName: name, snapshotID: snapshot.id, takenAt: snapshot.takenAt,
                snapshotState: kind == .indeterminateRow ? nil : true, logState: logState,
                eventIDs: logState == nil ? [] : ["evt-9"], detail: "")
        }
        let discrepancies = [
            discrepancy(.unexplained, hidden, name: "svc-hidden", snapshot: F.snapshotInPeriod, logState: nil),
            discrepancy(.mismatch, F.backup, name: "svc-backup", snapshot: F.snapshotInPeriod, logState: false),
            discrepancy(.mismatch, F.backup, name: "svc-backup", snapshot: old, logState: false),  // superseded
            discrepancy(.unexplained, nil, name: "svc-gone", snapshot: old, logState: nil),  // superseded
            discrepancy(.indeterminateRow, nil, name: "Svc-Odd", snapshot: F.snapshotInPeriod, logState: nil),
        ]
        let entries = [F.backupEntry, F.entry("AB-0002", account: "svc-hidden")]
        let result = F.analyze(F.inputs(
            accounts: [F.backup, hidden], entries: entries, snapshots: [old, F.snapshotInPeriod], discrepancies: discrepancies))
        #expect(result.findings(.unexplainedBypass).map(\.id) == ["unexplained-bypass:name:svc-hidden"])
        let mismatch = try #require(result.findings(.snapshotMismatch).first)
        #expect(result.findings(.snapshotMismatch).count == 1)
        #expect(mismatch.id == "snapshot-mismatch:name:svc-backup")
        #expect(mismatch.severity == .medium)
        #expect(mismatch.evidence.map(\.reference) == ["7", "evt-9"])
        #expect(mismatch.detail.contains("as enabled, while the ingested logs say not enabled"))
        #expect(result.findings(.indeterminateChange).map(\.id) == ["indeterminate-change:snapshot-7:name:svc-odd"])
    }
}
