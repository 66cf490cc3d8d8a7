import Foundation

import BypassAuditor
@testable import Core
@testable import Detection
@testable import Drift
@testable import Inventory
@testable import Policy

/// Builds drift inputs by hand. The default world is clean: one bypassed backup account with a complete, current,
/// recently reviewed entry; every day of the period has data; a complete snapshot was taken in the period;
/// detection has evaluated everything. Each test changes one thing and checks what drift says.
enum DriftFixture {
    static let tenant = TenantID("0b4e1c7a-6f1d-4c8e-9a55-2f7d8e3b1c90")
    static let admin = "exo-admin@contoso.com"
    static let asOf = time("2026-11-20T12:00:00Z")
    static let period = try! ReportingPeriod(from: day("2026-11-01"), through: day("2026-11-20"))

    static func day(_ text: String) -> UTCDay { UTCDay(text)! }
    static func time(_ text: String) -> Date { UTCTimestamp.parse(text)! }

    static func change(
        _ eventID: String, at: String, actor: String? = admin, identity: String? = "svc-backup",
        direction: BypassDirection = .enabled, outcome: EventOutcome = .success, kind: ChangeKind? = nil
    ) -> BypassChange {
        let derivedKind: ChangeKind =
            kind ?? (outcome == .failure ? .failedAttempt : direction == .enabled ? .enabled : direction == .removed ? .removed : .indeterminate)
        return BypassChange(
            eventID: eventID, time: time(at), tenant: tenant, actor: actor, clientIP: "203.0.113.7", identity: identity,
            objectID: nil, direction: direction, outcome: outcome, originalStatus: outcome == .failure ? "Failed" : "Succeeded",
            kind: derivedKind)
    }

    static func account(
        _ name: String, aliases: [String] = [], guid: String? = nil, bypassed: Bool = true,
        changes: [BypassChange]? = nil, attempts: [BypassChange] = [], observations: [SnapshotObservation] = []
    ) -> InventoryAccount {
        let history = changes ?? [change("evt-\(name)-on", at: "2026-03-02T09:00:00Z", identity: name)]
        let current = history.last
        return InventoryAccount(
            id: AccountID(tenant: tenant, key: guid.map { "guid:\($0)" } ?? "name:\(name)"), displayName: name,
            exchangeName: name, guid: guid, names: [name] + aliases, bypassEnabled: bypassed,
            since: current?.time, setBy: current?.actor, lastEventID: current?.eventID, source: .events,
            changes: history, attempts: attempts, snapshotObservations: observations)
    }

    static func entry(
        _ id: String, account: String, aliases: [String] = [], category: ExceptionCategory = .thirdPartyTool,
        tool: String? = "Veeam Backup for Microsoft 365", legalBasis: String? = nil, approvedOn: String = "2026-01-15",
        lastReviewedOn: String? = "2026-10-01", expiresOn: String? = "2027-06-30"
    ) -> AllowlistEntry {
        AllowlistEntry(
            id: id, account: account, aliases: aliases, category: category,
            tool: category == .thirdPartyTool ? tool : nil, legalBasis: legalBasis, owner: "backup-team@contoso.com",
            justification: "Reads every mailbox nightly.", approvedBy: "ciso@contoso.com", approvedOn: day(approvedOn),
            ticket: "CHG-1234", lastReviewedOn: lastReviewedOn.map(day), expiresOn: expiresOn.map(day))
    }

    static func allowlist(_ entries: [AllowlistEntry], admins: [String] = [admin]) -> Allowlist {
        Allowlist(authorizedAdmins: admins, entries: entries, path: "Policies/allowlist.yaml", sha256: "abc")
    }

    static let snapshotInPeriod = SnapshotSummary(
        id: 7, tenant: tenant, takenAt: time("2026-11-10T06:00:00Z"), takenAtGiven: true, fileName: "bypass.csv",
        sha256: "def", rows: 40, complete: true)

    static func fullCoverage(through last: UTCDay = period.lastDay) -> [UTCDay: Int] {
        Dictionary(uniqueKeysWithValues: (period.firstDay...last).map { ($0, 1_000) })
    }

    static func run(evaluatedThrough: Date? = asOf) -> DetectionRunSummary {
        DetectionRunSummary(
            id: 1, ranAt: asOf, now: asOf, evaluatedThrough: evaluatedThrough, eventsEvaluated: 100, alertsRaised: 0,
            ruleSetDigest: "rules")
    }

    static func alert(
        _ id: Int64, signal: DetectionSignal, eventID: String, at: String, actor: String? = "mallory@contoso.com",
        target: String? = nil, outcome: EventOutcome = .success, triaged: Bool = true, tenant: TenantID = tenant
    ) -> Alert {
        Alert(
            id: id, ruleID: "rule-\(signal.rawValue)", ruleName: "Rule \(signal.rawValue)", severity: .medium,
            riskScore: 47, signal: signal, tenant: tenant, eventID: eventID, eventTime: time(at), actor: actor,
            target: target, objectID: nil, outcome: outcome, direction: .unknown, raisedAt: time(at),
            triage: triaged ? AlertTriage(by: "soc@contoso.com", note: "checked", at: time(at)) : nil)
    }

    static let backup = account("svc-backup", aliases: ["svc-backup@contoso.com"])
    static let backupEntry = entry("AB-0001", account: "svc-backup@contoso.com", aliases: ["svc-backup"])

    static func inputs(
        accounts: [InventoryAccount] = [backup], entries: [AllowlistEntry] = [backupEntry], admins: [String] = [admin],
        coverage: [UTCDay: Int]? = nil, alerts: [Alert] = [], runs: [DetectionRunSummary] = [run()],
        snapshots: [SnapshotSummary] = [snapshotInPeriod], discrepancies: [SnapshotDiscrepancy] = [],
        ambiguities: [IdentityAmbiguity] = [], indeterminate: [BypassChange] = [], asOf: Date = asOf,
        period: ReportingPeriod = period, latestEventTime: Date? = nil
    ) -> DriftInputs {
        DriftInputs(
            tenant: tenant, asOf: asOf, period: period,
            inventory: InventoryView(
                tenant: tenant, asOf: asOf, accounts: accounts, ambiguities: ambiguities, discrepancies: discrepancies,
                indeterminateChanges: indeterminate, snapshots: snapshots),
            allowlist: allowlist(entries, admins: admins), coverage: coverage ?? fullCoverage(),
            alerts: PeriodAlerts(
                alerts, tenant: tenant, window: DriftInputs.activityWindow(of: period, asOf: asOf)),
            detectionRuns: runs, latestEventTime: latestEventTime)
    }

    static func analyze(_ inputs: DriftInputs) -> DriftResult { DriftAnalyzer.analyze(inputs) }
}

extension DriftResult {
    func findings(_ kind: FindingKind) -> [Finding] { findings.filter { $0.kind == kind } }
    func control(_ id: ControlID) -> Control { controls.first { $0.id == id }! }
    var kinds: [FindingKind] { findings.map(\.kind) }
}
