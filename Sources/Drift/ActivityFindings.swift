import Core
import Inventory
import Foundation

/// Findings about what happened in the period: `unauthorized-actor`, `failed-attempt` and `indeterminate-change`.
struct ActivityFindings {
    let context: DriftContext

    private static let roleLookup =
        "`Get-ManagementRoleEntry '*\\Set-MailboxAuditBypassAssociation'` lists the roles that grant the cmdlet"

    func findings() -> [Finding] {
        let accounts = accountFindings(context.inventory.accounts.indices)
        return accounts.findings + otherFindings(reportedByAccounts: accounts.reported)
    }

    /// The findings about the changes and attempts of the accounts at `indices` (`unauthorized-actor`,
    /// `failed-attempt`), and the events they report. Accounts are independent, so a caller may take them in parts.
    func accountFindings(_ indices: Range<Int>) -> (findings: [Finding], reported: Set<String>) {
        var findings: [Finding] = []
        var reported = Set<String>()
        for index in indices {
            let account = context.inventory.accounts[index]
            // By index: a change copied out whole retains each of its texts (200,000 changes at scale).
            for position in account.changes.indices
            where context.inWindow(account.changes[position].time) && context.isUnauthorized(account.changes[position].actor) {
                let change = account.changes[position]
                if reported.insert(change.eventID).inserted { findings.append(unauthorized(change, account: account)) }
            }
            let attempts = account.attempts.filter { context.inWindow($0.time) }
            if !attempts.isEmpty { findings.append(failedAttempts(attempts, account: account)) }
        }
        return (findings, reported)
    }

    /// The findings about records no account holds and unreadable snapshot rows. A record can sit both in an account's
    /// history and among the indeterminate ones (known target, unreadable direction): one finding per record, so the
    /// events the account findings reported (`reportedByAccounts`) are not reported again.
    func otherFindings(reportedByAccounts: Set<String>) -> [Finding] {
        var findings: [Finding] = []
        var reported = reportedByAccounts
        let settledAt = context.latestSnapshot?.takenAt
        for change in context.inventory.indeterminateChanges where change.time <= context.inputs.asOf {
            if context.inWindow(change.time) && change.outcome != .failure && context.isUnauthorized(change.actor)
                && reported.insert(change.eventID).inserted
            {
                findings.append(unauthorized(change, account: nil))
            }
            // A snapshot taken after the record shows every bypass that exists, which settles what it did.
            if context.inWindow(change.time) || settledAt.map({ change.time > $0 }) ?? true {
                findings.append(indeterminate(change))
            }
        }
        let current = context.currentSnapshotIDs
        for discrepancy in context.inventory.discrepancies
        where discrepancy.kind == .indeterminateRow && current.contains(discrepancy.snapshotID) {
            findings.append(indeterminateRow(discrepancy))
        }
        return findings
    }

    private func what(_ change: BypassChange) -> String {
        switch change.direction {
        case .enabled: "enabled"
        case .removed: "removed"
        case .unknown: "changed"
        }
    }

    private func unauthorized(_ change: BypassChange, account: InventoryAccount?) -> Finding {
        let target = account.map(RemediationText.accountLabel) ?? change.identity.map { "'\($0)'" } ?? "an account the record does not name"
        let actor = RemediationText.actor(change.actor)
        let detail = "\(actor.capitalizedFirst) \(what(change)) the mailbox audit bypass of \(target) at "
            + "\(RemediationText.time(change.time))\(change.clientIP.map { " from \($0)" } ?? ""), but is not in "
            + "authorized_admins (\(context.allowlist.authorizedAdmins.joined(separator: ", ")))."
        var action = "Ask \(actor) whether they made this change and why. If they did not, treat it as a compromise: "
            + "isolate and reset the credentials of \(actor), review their sign-ins and role assignments "
            + "(\(Self.roleLookup)), and check the bypass of the target"
        if let name = account?.exchangeName ?? change.identity {
            action += " with \(RemediationText.showBypass(name))"
            if change.direction == .enabled {
                action += ", removing it with \(RemediationText.removeBypass(name)) unless an approved entry covers it"
            }
        }
        action += ". If the change was legitimate, add \(actor) to authorized_admins in the register."
        return Finding(
            id: "\(FindingKind.unauthorizedActor.rawValue):\(change.eventID)", kind: .unauthorizedActor,
            severity: .high, tenant: context.tenant, account: account?.displayName ?? change.identity,
            accountID: account?.id,
            names: account?.names ?? change.identity.map { [$0] } ?? [], entryID: nil, detail: detail,
            evidence: context.evidence(for: change, note: "bypass \(what(change)) by \(actor)"), action: action)
    }

    private func failedAttempts(_ attempts: [BypassChange], account: InventoryAccount) -> Finding {
        var countsByActor: [String: Int] = [:]
        for attempt in attempts { countsByActor[RemediationText.actor(attempt.actor), default: 0] += 1 }
        let actors = countsByActor.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
        let detail = "\(RemediationText.plural(attempts.count, "failed attempt")) to change the mailbox audit bypass of "
            + "\(RemediationText.accountLabel(account)) in the period, by \(actors.joined(separator: ", ")). Exchange "
            + "Online hides Set-MailboxAuditBypassAssociation from accounts whose roles do not include it, so a failure "
            + "comes from an account that holds the role: trial and error by a privileged account."
        let action = "Ask \(countsByActor.keys.sorted().joined(separator: ", ")) what they were trying to do. If "
            + "nobody can explain it, review those accounts' sign-ins around the attempts and reset their credentials, "
            + "and confirm the target's state with \(RemediationText.showBypass(account.exchangeName, guid: account.guid)). "
            + "\(Self.roleLookup.capitalizedFirst); remove the role from accounts that do not need it."
        return Finding(
            id: "\(FindingKind.failedAttempt.rawValue):\(account.id.key)", kind: .failedAttempt, severity: .medium,
            tenant: context.tenant, account: account.displayName, accountID: account.id, names: account.names, entryID: nil, detail: detail,
            evidence: attempts.flatMap {
                context.evidence(for: $0, note: "failed: \(what($0)) by \(RemediationText.actor($0.actor))"
                    + ($0.originalStatus.map { " (ResultStatus \($0))" } ?? ""))
            },
            action: action)
    }

    private func indeterminate(_ change: BypassChange) -> Finding {
        var unknowns: [String] = []
        if change.identity == nil && change.objectID == nil { unknowns.append("which account it targets") }
        if change.direction == .unknown { unknowns.append("whether it enabled or removed the bypass") }
        if unknowns.isEmpty { unknowns.append("which account it targets") }
        let target = change.identity ?? change.objectID
        let detail = "A Set-MailboxAuditBypassAssociation record at \(RemediationText.time(change.time)) by "
            + "\(RemediationText.actor(change.actor))\(change.outcome == .failure ? " (failed)" : "") does not say "
            + "\(unknowns.joined(separator: " or "))\(target.map { " (Identity '\($0)')" } ?? ""), so the inventory "
            + "cannot account for it: an exemption may exist that no finding shows."
        let action = "Look the record up in the unified audit log (Search-UnifiedAuditLog -Operations "
            + "Set-MailboxAuditBypassAssociation around that time) and import a full snapshot "
            + "(`Get-MailboxAuditBypassAssociation -ResultSize Unlimited | Export-Csv`, then "
            + "`bypass-auditor snapshot import`) so the current state of every account is known."
        return Finding(
            id: "\(FindingKind.indeterminateChange.rawValue):\(change.eventID)", kind: .indeterminateChange,
            severity: .medium, tenant: context.tenant, account: target, names: target.map { [$0] } ?? [],
            entryID: nil, detail: detail,
            evidence: context.evidence(for: change, note: "by \(RemediationText.actor(change.actor))"), action: action)
    }

    private func indeterminateRow(_ discrepancy: SnapshotDiscrepancy) -> Finding {
        let key = discrepancy.account?.key ?? "name:\(AccountName.key(for: discrepancy.accountName))"
        let detail = "Snapshot \(discrepancy.snapshotID) (taken \(RemediationText.time(discrepancy.takenAt))) has a "
            + "row for '\(discrepancy.accountName)' without a readable AuditBypassEnabled, so whether this account is "
            + "exempt from auditing is unknown. \(discrepancy.detail)"
        return Finding(
            id: "\(FindingKind.indeterminateChange.rawValue):snapshot-\(discrepancy.snapshotID):\(key)",
            kind: .indeterminateChange, severity: .medium, tenant: context.tenant, account: discrepancy.accountName,
            accountID: discrepancy.account,
            names: [discrepancy.accountName], entryID: nil, detail: detail,
            evidence: [
                Evidence(
                    kind: .snapshot, reference: String(discrepancy.snapshotID), time: discrepancy.takenAt,
                    note: "AuditBypassEnabled unreadable")
            ],
            action: "Check the account with \(RemediationText.showBypass(discrepancy.accountName)) and re-export the "
                + "snapshot with the AuditBypassEnabled column kept.")
    }
}
