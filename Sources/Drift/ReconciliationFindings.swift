import Core
import Inventory
import Foundation

/// Findings from the inventory's reconciliation of snapshots with logs (`unexplained-bypass`, `snapshot-mismatch`)
/// and from its identity resolution (`ambiguous-identity` of a name that several accounts use).
///
/// Only disagreements of current snapshots count (taken in the period, or the newest one): see
/// `DriftContext.currentSnapshotIDs`.
struct ReconciliationFindings {
    let context: DriftContext
    /// The most severe approval finding per account key (`unapproved-bypass` critical, `expired-approval` high…):
    /// a mismatch disputing a logged bypass is as severe as that bypass.
    var bypassSeverity: [String: Severity] = [:]

    /// The most severe of `findings` per account key (their ids are `<kind>:<account key>`).
    static func severityByAccount(of findings: [Finding]) -> [String: Severity] {
        var result: [String: Severity] = [:]
        for finding in findings {
            guard let colon = finding.id.firstIndex(of: ":") else { continue }
            let key = String(finding.id[finding.id.index(after: colon)...])
            result[key] = max(result[key] ?? finding.severity, finding.severity)
        }
        return result
    }

    func findings() -> [Finding] {
        let current = context.currentSnapshotIDs
        var groups: [String: [SnapshotDiscrepancy]] = [:]
        for discrepancy in context.inventory.discrepancies where current.contains(discrepancy.snapshotID) {
            guard let kind = findingKind(discrepancy.kind) else { continue }
            let key = discrepancy.account?.key ?? "name:\(AccountName.key(for: discrepancy.accountName))"
            groups["\(kind.rawValue):\(key)", default: []].append(discrepancy)
        }
        let accountsByID = Dictionary(
            context.inventory.accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var findings = groups.keys.sorted().compactMap { id -> Finding? in
            guard let discrepancies = groups[id]?.sorted(by: { ($0.takenAt, $0.snapshotID) < ($1.takenAt, $1.snapshotID) }),
                let first = discrepancies.first, let kind = findingKind(first.kind)
            else { return nil }
            return finding(id: id, kind: kind, discrepancies, account: first.account.flatMap { accountsByID[$0] })
        }
        findings += context.inventory.ambiguities.map { ambiguousName($0, accountsByID: accountsByID) }
        return findings
    }

    private func findingKind(_ kind: SnapshotDiscrepancy.Kind) -> FindingKind? {
        switch kind {
        case .unexplained: .unexplainedBypass
        case .mismatch: .snapshotMismatch
        case .indeterminateRow: nil
        }
    }

    private func finding(id: String, kind: FindingKind, _ discrepancies: [SnapshotDiscrepancy], account: InventoryAccount?)
        -> Finding
    {
        let latest = discrepancies[discrepancies.count - 1]
        let label = account.map(RemediationText.accountLabel) ?? "'\(latest.accountName)'"
        let name = account?.exchangeName ?? latest.accountName
        let snapshots = discrepancies.map { "\($0.snapshotID) (\(RemediationText.time($0.takenAt)))" }
            .joined(separator: ", ")
        var detail: String
        let action: String
        if kind == .unexplainedBypass {
            detail = "Snapshot \(snapshots) shows \(label) with mailbox audit bypass enabled, but no ingested "
                + "Set-MailboxAuditBypassAssociation record explains it: it was set before the logs held begin, or "
                + "the record never reached them."
            action = "Find when and by whom it was set (Search-UnifiedAuditLog -Operations "
                + "Set-MailboxAuditBypassAssociation over the longest retention available, and ingest older exports if "
                + "you have them). If it cannot be explained and no approved entry covers it, remove it with "
                + "\(RemediationText.removeBypass(name))."
        } else {
            let snapshotSays = latest.snapshotState.map { $0 ? "enabled" : "not enabled" } ?? "unknown"
            let logsSay = latest.logState.map { $0 ? "enabled" : "not enabled" } ?? "unknown"
            detail = "Snapshot \(snapshots) shows the bypass of \(label) as \(snapshotSays), while the ingested logs "
                + "say \(logsSay) at that time: a change is missing from the logs (coverage gap, late export, or a "
                + "record removed before export), or the snapshot is not what it claims."
            action = "Check the state now with \(RemediationText.showBypass(name)), ingest the logs around the "
                + "snapshot time, and re-take the snapshot with its real time (`bypass-auditor snapshot import "
                + "--taken-at`); an unexplained difference means the audit trail is incomplete."
        }
        if !latest.detail.isEmpty { detail += " \(latest.detail)" }
        var evidence: [Evidence] = []
        for discrepancy in discrepancies {
            evidence.append(
                Evidence(kind: .snapshot, reference: String(discrepancy.snapshotID), time: discrepancy.takenAt,
                    note: discrepancy.snapshotState.map { "AuditBypassEnabled \($0 ? "True" : "False")" }))
            evidence += discrepancy.eventIDs.map { Evidence(kind: .event, reference: $0, note: "behind the log-derived state") }
        }
        // A snapshot saying "not bypassed" against logs saying "bypassed" disputes a bypass: as severe as it is.
        let disputesBypass = kind == .snapshotMismatch && latest.snapshotState == false && latest.logState == true
        let severity = disputesBypass ? max(.medium, account.flatMap { bypassSeverity[$0.id.key] } ?? .medium) : .medium
        return Finding(
            id: id, kind: kind, severity: severity, tenant: context.tenant,
            account: account?.displayName ?? latest.accountName, accountID: account?.id, names: account?.names ?? [latest.accountName],
            entryID: nil, detail: detail, evidence: evidence, action: action)
    }

    private func ambiguousName(_ ambiguity: IdentityAmbiguity, accountsByID: [AccountID: InventoryAccount]) -> Finding {
        let keys = ambiguity.accounts.map(\.key)
        var detail = "The name '\(ambiguity.name)' belongs to \(keys.count) different accounts (\(keys.joined(separator: ", "))), "
            + "so records and register entries that use only this name cannot be told apart."
        if !ambiguity.detail.isEmpty { detail += " \(ambiguity.detail)" }
        return Finding(
            id: "\(FindingKind.ambiguousIdentity.rawValue):name:\(AccountName.key(for: ambiguity.name))",
            kind: .ambiguousIdentity, severity: .medium, tenant: context.tenant, account: ambiguity.name,
            names: [ambiguity.name], entryID: context.allowlist.entries(naming: AccountName(ambiguity.name)).first?.id,
            detail: detail, evidence: ambiguity.accounts.compactMap { accountsByID[$0] }.flatMap(context.presenceEvidence),
            action: "Identify each account by its GUID ("
                + RemediationText.command("Get-Mailbox", ambiguity.name, "| Format-List Name,ExchangeGuid,DistinguishedName")
                + ") and name accounts in the register by GUID or "
                + "primary SMTP address rather than this shared name.")
    }
}
