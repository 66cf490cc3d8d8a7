import Foundation

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Drift
@testable import Inventory
@testable import Policy
@testable import Reporting

/// Hand-built model values for one tenant's October 2026: what drift, inventory, policy and detection would hand the
/// report, with every case the report must show (approved, expiring, expired, unapproved, removed-in-period,
/// stale entry, coverage gap, alerts with and without triage, an earlier report to compare with).
enum ReportSamples {
    static let tenant = TenantID("0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")
    static let period = try! ReportingPeriod(month: "2026-10")
    static let asOf = period.endInstant
    static let generatedAt = UTCTimestamp.parse("2026-11-01T06:00:00Z")!
    static let admin = "exo-admin@contoso.com"
    static let attacker = "attacker@contoso.com"

    static func time(_ text: String) -> Date { UTCTimestamp.parse(text)! }
    static func day(_ text: String) -> UTCDay { UTCDay(text)! }

    // MARK: Accounts

    static func change(
        _ eventID: String, _ when: String, actor: String?, identity: String, kind: ChangeKind, ip: String? = "198.51.100.10"
    ) -> BypassChange {
        let direction: BypassDirection = kind == .removed ? .removed : .enabled
        return BypassChange(
            eventID: eventID, time: time(when), tenant: tenant, actor: actor, clientIP: ip, identity: identity, objectID: nil,
            direction: direction, outcome: kind == .failedAttempt ? .failure : .success,
            originalStatus: kind == .failedAttempt ? "Failed" : "Succeeded", kind: kind)
    }

    static func account(
        _ name: String, guid: String? = nil, bypassed: Bool, since: String?, setBy: String?, changes: [BypassChange],
        attempts: [BypassChange] = [], source: StateSource = .events, snapshots: [SnapshotObservation] = []
    ) -> InventoryAccount {
        let key = guid.map { "guid:\($0)" } ?? "name:\(AccountName.key(for: name))"
        return InventoryAccount(
            id: AccountID(tenant: tenant, key: key), displayName: name, exchangeName: name, guid: guid,
            names: [name] + (guid.map { [$0] } ?? []), bypassEnabled: bypassed, since: since.map(time), setBy: setBy,
            lastEventID: changes.last?.eventID, source: source, changes: changes, attempts: attempts,
            snapshotObservations: snapshots)
    }

    static var backup: InventoryAccount {
        account(
            "svc-backup@contoso.com", guid: "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", bypassed: true, since: "2026-01-16T09:00:00Z",
            setBy: admin, changes: [change("evt-backup-on", "2026-01-16T09:00:00Z", actor: admin, identity: "svc-backup", kind: .enabled)],
            source: .both)
    }

    static var legalHold: InventoryAccount {
        account(
            "legal-hold@contoso.com", bypassed: true, since: "2026-05-02T10:00:00Z", setBy: admin,
            changes: [change("evt-legal-on", "2026-05-02T10:00:00Z", actor: admin, identity: "legal-hold@contoso.com", kind: .enabled)])
    }

    static var archiver: InventoryAccount {
        account(
            "archiver@contoso.com", bypassed: true, since: "2025-10-01T08:00:00Z", setBy: admin,
            changes: [change("evt-archiver-on", "2025-10-01T08:00:00Z", actor: admin, identity: "archiver", kind: .enabled)])
    }

    static var mallory: InventoryAccount {
        account(
            "mallory-helper@contoso.com", bypassed: true, since: "2026-10-12T03:14:00Z", setBy: attacker,
            changes: [change("evt-mallory-on", "2026-10-12T03:14:00Z", actor: attacker, identity: "mallory-helper", kind: .enabled, ip: "203.0.113.7")],
            attempts: [change("evt-mallory-try", "2026-10-12T03:10:00Z", actor: attacker, identity: "mallory-helper", kind: .failedAttempt, ip: "203.0.113.7")])
    }

    static var migration: InventoryAccount {
        account(
            "temp-migration@contoso.com", bypassed: false, since: "2026-10-05T17:00:00Z", setBy: admin,
            changes: [
                change("evt-migration-on", "2026-10-02T08:00:00Z", actor: admin, identity: "temp-migration", kind: .enabled),
                change("evt-migration-off", "2026-10-05T17:00:00Z", actor: admin, identity: "temp-migration", kind: .removed),
            ])
    }

    static var inventory: InventoryView {
        InventoryView(
            tenant: tenant, asOf: asOf, accounts: [backup, legalHold, archiver, mallory, migration], ambiguities: [], discrepancies: [],
            indeterminateChanges: [], snapshots: [
                SnapshotSummary(
                    id: 1, tenant: tenant, takenAt: time("2026-09-30T12:00:00Z"), takenAtGiven: true, fileName: "bypass-2026-09-30.csv",
                    sha256: String(repeating: "a", count: 64), rows: 3, complete: true),
                SnapshotSummary(
                    id: 2, tenant: tenant, takenAt: time("2026-10-15T12:00:00Z"), takenAtGiven: true, fileName: "bypass-2026-10-15.csv",
                    sha256: String(repeating: "b", count: 64), rows: 4, complete: true),
                SnapshotSummary(
                    id: 0, tenant: tenant, takenAt: time("2026-06-30T12:00:00Z"), takenAtGiven: false, fileName: "old.csv",
                    sha256: String(repeating: "c", count: 64), rows: 2, complete: false),
            ])
    }

    // MARK: Register

    static var allowlist: Allowlist {
        Allowlist(
            reviewIntervalDays: 90, expiryWarningDays: 30, authorizedAdmins: [admin],
            entries: [
                AllowlistEntry(
                    id: "AB-0001", account: "svc-backup@contoso.com", aliases: ["svc-backup", "7f9c2e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6"],
                    category: .thirdPartyTool, tool: "Veeam Backup for Microsoft 365", owner: "backup-team@contoso.com",
                    justification: "Nightly backup reads every mailbox.", approvedBy: "ciso@contoso.com", approvedOn: day("2026-01-15"),
                    ticket: "CHG-1234", lastReviewedOn: day("2026-10-01"), expiresOn: day("2027-01-15")),
                AllowlistEntry(
                    id: "AB-0002", account: "legal-hold@contoso.com", category: .lawfulMonitoring, legalBasis: "Case 2026-17",
                    owner: "legal@contoso.com", justification: "Court-ordered monitoring.", approvedBy: "general-counsel@contoso.com",
                    approvedOn: day("2026-05-01"), ticket: "LEGAL-77", lastReviewedOn: day("2026-05-01"), expiresOn: day("2026-11-15")),
                AllowlistEntry(
                    id: "AB-0003", account: "archiver@contoso.com", category: .thirdPartyTool, tool: "ArchiveOne",
                    owner: "it-ops@contoso.com", justification: "Journal archiving.", approvedBy: "ciso@contoso.com",
                    approvedOn: day("2025-10-01"), ticket: "CHG-0999", lastReviewedOn: day("2026-09-01"), expiresOn: day("2026-09-30")),
                AllowlistEntry(
                    id: "AB-0004", account: "old-journal@contoso.com", category: .thirdPartyTool, tool: nil, owner: "it-ops@contoso.com",
                    justification: "Retired journaling tool.", approvedBy: "ciso@contoso.com", approvedOn: day("2026-09-01"),
                    ticket: "CHG-1100", lastReviewedOn: day("2026-09-01"), expiresOn: day("2027-09-01")),
            ],
            path: "Policies/allowlist.yaml", sha256: String(repeating: "d", count: 64))
    }

    static var edits: [AllowlistEdit] {
        [
            AllowlistEdit(at: time("2026-10-01T09:00:00Z"), by: admin, action: .renew, entryID: "AB-0001", reason: "quarterly review", summary: "reviewed 2026-10-01"),
            AllowlistEdit(at: time("2026-08-01T09:00:00Z"), by: admin, action: .renew, entryID: "AB-0003", reason: "review", summary: "reviewed 2026-08-01"),
        ]
    }

    static var versionChanges: [AllowlistVersionChange] {
        [
            AllowlistVersionChange(kind: .changed, entryID: "AB-0001", seenAt: time("2026-10-01T09:00:00Z"), fromSHA256: "1111", toSHA256: "2222", fields: ["last_reviewed_on"]),
            AllowlistVersionChange(kind: .added, entryID: "AB-0004", seenAt: time("2026-10-20T00:00:00Z"), fromSHA256: "2222", toSHA256: "3333"),
        ]
    }

    // MARK: Drift

    static func finding(
        _ kind: FindingKind, _ severity: Severity, account: InventoryAccount?, entry: String? = nil, day: String? = nil,
        evidence: [Evidence] = []
    ) -> Finding {
        let subject = account?.id.key ?? entry ?? day ?? "tenant"
        return Finding(
            id: "\(kind.rawValue):\(subject)", kind: kind, severity: severity, tenant: tenant,
            account: account?.displayName ?? entry, accountID: account?.id, names: account?.names ?? [], entryID: entry, detail: "\(kind.rawValue) detail for \(account?.displayName ?? subject)",
            evidence: evidence, action: "act on \(kind.rawValue)")
    }

    static var findings: [Finding] {
        [
            finding(.unapprovedBypass, .critical, account: mallory, evidence: [Evidence(kind: .event, reference: "evt-mallory-on", time: time("2026-10-12T03:14:00Z"))]),
            finding(.unauthorizedActor, .high, account: mallory, evidence: [Evidence(kind: .event, reference: "evt-mallory-on")]),
            finding(.failedAttempt, .medium, account: mallory, evidence: [Evidence(kind: .event, reference: "evt-mallory-try")]),
            finding(.expiredApproval, .high, account: archiver, entry: "AB-0003", evidence: [Evidence(kind: .allowlistEntry, reference: "AB-0003")]),
            finding(.reviewOverdue, .medium, account: legalHold, entry: "AB-0002"),
            finding(.expiringSoon, .low, account: legalHold, entry: "AB-0002"),
            finding(.staleAllowlistEntry, .low, account: nil, entry: "AB-0004"),
            finding(.incompleteApproval, .medium, account: nil, entry: "AB-0004"),
            finding(
                .coverageGap, .medium, account: nil, day: "2026-10-20",
                evidence: [Evidence(kind: .day, reference: "2026-10-20"), Evidence(kind: .day, reference: "2026-10-21")]),
        ]
    }

    static var controls: [Control] {
        [
            Control(id: .thirdPartyToolsDocumented, title: "Authorized third-party tools are documented", status: .fail, reason: "1 expired approval", findingIDs: ["expired-approval:name:archiver@contoso.com"]),
            Control(id: .lawfulMonitoringDocumented, title: "Lawful-monitoring accounts are documented and verified", status: .warn, reason: "review overdue", findingIDs: ["review-overdue:name:legal-hold@contoso.com"]),
            Control(id: .regularReview, title: "The bypass list is reviewed regularly", status: .warn, reason: "stale entry", findingIDs: ["stale-allowlist-entry:AB-0004"]),
            Control(id: .periodicAudit, title: "Bypass associations are audited periodically", status: .warn, reason: "2 days without data", findingIDs: ["coverage-gap:2026-10-20"]),
            Control(id: .alertsOnNewBypass, title: "New bypass associations raise alerts", status: .pass, reason: "detection ran over the period", findingIDs: []),
        ]
    }

    static var drift: DriftResult {
        DriftResult(tenant: tenant, asOf: asOf, period: period, findings: findings.sorted(by: Finding.reportOrder), controls: controls)
    }

    // MARK: Detection

    static func alert(_ id: Int64, event: String, at when: String, actor: String?, target: String?, outcome: EventOutcome = .success, triage: AlertTriage? = nil) -> Alert {
        Alert(
            id: id, ruleID: "o365-mailbox-audit-logging-bypass", ruleName: "O365 Mailbox Audit Logging Bypass", severity: .medium, riskScore: 47,
            signal: outcome == .failure ? .bypassFailedAttempt : .bypassChange, tenant: tenant, eventID: event, eventTime: time(when),
            actor: actor, target: target, objectID: nil, outcome: outcome, direction: .enabled, raisedAt: time(when).addingTimeInterval(300),
            triage: triage)
    }

    static var alerts: [Alert] {
        [
            alert(1, event: "evt-migration-on", at: "2026-10-02T08:00:00Z", actor: admin, target: "temp-migration",
                  triage: AlertTriage(by: "soc@contoso.com", note: "Migration approved by CAB-88", at: time("2026-10-02T09:00:00Z"))),
            alert(2, event: "evt-mallory-try", at: "2026-10-12T03:10:00Z", actor: attacker, target: "mallory-helper", outcome: .failure),
            alert(3, event: "evt-mallory-on", at: "2026-10-12T03:14:00Z", actor: attacker, target: "mallory-helper"),
        ]
    }

    // MARK: Coverage and history

    static var coverage: [UTCDay: Int] {
        var counts: [UTCDay: Int] = [:]
        for day in period.days where day != UTCDay("2026-10-20")! && day != UTCDay("2026-10-21")! {
            counts[day] = 10_000 + day.daysSinceEpoch % 97
        }
        return counts
    }

    static func stored(
        _ label: String, revision: Int = 1, generated: String, bypassed: Int, findings: [StoredFinding], accounts: [StoredAccount]
    ) -> StoredReportSummary {
        let period = try! ReportingPeriod(month: label)
        return StoredReportSummary(
            reportID: "BA-\(label)-r\(revision)-00000000", tenant: tenant, period: period, revision: revision, asOf: period.endInstant,
            generatedAt: time(generated), folder: "Reports/\(label)", verdict: .attentionNeeded,
            findingsBySeverity: SeverityCounts(counting: findings.map(\.severity)), bypassedAccounts: bypassed, findings: findings,
            accounts: accounts)
    }

    static var previous: StoredReportSummary {
        stored(
            "2026-09", generated: "2026-10-01T06:00:00Z", bypassed: 4,
            findings: [
                StoredFinding(id: "review-overdue:name:legal-hold@contoso.com", kind: .reviewOverdue, severity: .medium),
                StoredFinding(id: "stale-allowlist-entry:AB-0004", kind: .staleAllowlistEntry, severity: .low),
                StoredFinding(id: "unapproved-bypass:name:ghost@contoso.com", kind: .unapprovedBypass, severity: .high),
            ],
            accounts: [
                StoredAccount(key: backup.id.key, name: backup.displayName, status: .approved),
                StoredAccount(key: legalHold.id.key, name: legalHold.displayName, status: .approved),
                StoredAccount(key: archiver.id.key, name: archiver.displayName, status: .approved),
                StoredAccount(key: "name:ghost@contoso.com", name: "ghost@contoso.com", status: .unapproved),
            ])
    }

    static var history: [StoredReportSummary] {
        let older = (1...8).map { month in
            stored(String(format: "2026-%02d", month), generated: String(format: "2026-%02d-01T06:00:00Z", month + 1), bypassed: 2 + month % 3, findings: [], accounts: [])
        }
        return older + [
            stored("2025-12", generated: "2026-01-01T06:00:00Z", bypassed: 1, findings: [], accounts: []),
            stored("2025-11", generated: "2025-12-01T06:00:00Z", bypassed: 1, findings: [], accounts: []),
            stored("2025-10", generated: "2025-11-01T06:00:00Z", bypassed: 1, findings: [], accounts: []),
            // An earlier revision of September, superseded by `previous`.
            stored("2026-09", generated: "2026-10-01T05:00:00Z", bypassed: 9, findings: [], accounts: []),
            previous,
        ]
    }

    static var sources: ReportSources {
        ReportSources(
            ruleFileDigests: ["Policies/rules/bypass.toml": String(repeating: "e", count: 64), "Policies/rules/impairment.toml": String(repeating: "f", count: 64)],
            ruleSetDigest: String(repeating: "9", count: 64),
            detectionRuleSetDigests: [String(repeating: "9", count: 64), String(repeating: "7", count: 64), String(repeating: "9", count: 64)],
            chainHead: String(repeating: "8", count: 64))
    }

    static func inputs(previous: StoredReportSummary? = ReportSamples.previous, revision: Int = 1) -> ReportInputs {
        ReportInputs(
            period: period, asOf: asOf, generatedAt: generatedAt, tenant: tenant, revision: revision, drift: drift, inventory: inventory,
            alerts: alerts, allowlist: allowlist, edits: edits, versionChanges: versionChanges, coverage: coverage,
            previous: previous, history: previous == nil ? [] : history, sources: sources)
    }

    static var report: Report { ReportBuilder.build(inputs()) }
}
