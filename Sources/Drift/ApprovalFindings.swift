import Core
import Inventory
import Policy
import Foundation

/// Findings about bypassed accounts and their approvals: `unapproved-bypass`, `expired-approval`, and the
/// `ambiguous-identity` of an account that several entries name.
struct ApprovalFindings {
    let context: DriftContext

    func findings() -> [Finding] {
        var findings: [Finding] = []
        for (index, account) in context.inventory.accounts.enumerated() {
            let entries = context.entries(ofAccountAt: index)
            if entries.count > 1 { findings.append(severalEntries(account, entries)) }
            guard account.bypassEnabled else { continue }
            let standings = entries.map { ($0, context.standing(of: $0)) }
            if standings.contains(where: { $0.1.approval.approves }) { continue }
            let expired = standings.compactMap { entry, standing -> (AllowlistEntry, UTCDay)? in
                guard standing.approval == .expired, let day = entry.expiresOn else { return nil }
                return (entry, day)
            }
            if let newest = expired.max(by: { ($0.1, $0.0.id) < ($1.1, $1.0.id) }) {
                findings.append(expiredApproval(account, entry: newest.0, expiredOn: newest.1))
            } else {
                findings.append(unapproved(account, notYetApproved: standings.first?.0))
            }
        }
        return findings
    }

    private func unapproved(_ account: InventoryAccount, notYetApproved entry: AllowlistEntry?) -> Finding {
        let setByOutsider = account.setBy != nil && context.isUnauthorized(account.setBy)
        var detail = "\(RemediationText.accountLabel(account)) has mailbox audit bypass enabled\(context.sinceClause(account))"
        if let entry, let approvedOn = entry.approvedOn {
            detail += ", but allowlist entry \(entry.id) approves it only from \(approvedOn)"
        } else {
            detail += ", and no allowlist entry approves it"
        }
        detail += ": nothing this account does in any mailbox is audited."
        if setByOutsider, let setBy = account.setBy {
            detail += " '\(setBy)', who set it, is not in authorized_admins."
        }
        var action = "Ask the account's owner whether the exemption is needed. If it is not, remove it: "
            + "\(RemediationText.removeBypass(account.exchangeName, guid: account.guid))."
        if let setBy = account.setBy {
            action += " If nobody can explain it, treat it as an incident: isolate and reset the credentials of both "
                + "'\(setBy)' (who set it) and '\(account.displayName)' (the exempted account), then review what "
                + "'\(account.displayName)' did\(account.since.map { " since \(RemediationText.time($0))" } ?? "") "
                + "from sign-in and other logs, because its mailbox activity was not audited."
        } else {
            action += " If nobody can explain it, treat it as an incident: isolate and reset the credentials of "
                + "'\(account.displayName)' and review its activity from sign-in and other logs, because its mailbox "
                + "activity was not audited; the logs held do not say who set the bypass."
        }
        action += " If it is legitimate, record a written exception with `bypass-auditor allowlist add`"
        if let entry {
            action += " (or correct approved_on of \(entry.id))"
        }
        action += "."
        return Finding(
            id: "\(FindingKind.unapprovedBypass.rawValue):\(account.id.key)", kind: .unapprovedBypass,
            severity: setByOutsider ? .critical : .high, tenant: context.tenant, account: account.displayName, accountID: account.id,
            names: account.names, entryID: entry?.id, detail: detail,
            evidence: context.bypassStateEvidence(account)
                + (entry.map { [Evidence(kind: .allowlistEntry, reference: $0.id, note: "approved_on is after the as-of day")] } ?? []),
            action: action)
    }

    private func expiredApproval(_ account: InventoryAccount, entry: AllowlistEntry, expiredOn: UTCDay) -> Finding {
        let detail = "\(RemediationText.accountLabel(account)) has mailbox audit bypass enabled\(context.sinceClause(account)); "
            + "its approval, allowlist entry \(entry.id), was valid through \(expiredOn) and has expired "
            + "(\(RemediationText.plural(expiredOn.distance(to: context.asOfDay), "day")) ago), so the exemption is no longer approved."
        let id = RemediationText.shellWord(entry.id)
        let action = "If the exemption is still needed, have it re-approved and record that with "
            + "`bypass-auditor allowlist renew \(id)` and a new expiry date. Otherwise remove the bypass "
            + "(\(RemediationText.removeBypass(account.exchangeName, guid: account.guid))) and then the entry "
            + "(`bypass-auditor allowlist remove \(id)` with a reason)."
        return Finding(
            id: "\(FindingKind.expiredApproval.rawValue):\(account.id.key)", kind: .expiredApproval, severity: .high,
            tenant: context.tenant, account: account.displayName, accountID: account.id, names: account.names, entryID: entry.id,
            detail: detail,
            evidence: context.bypassStateEvidence(account) + [
                Evidence(kind: .allowlistEntry, reference: entry.id, note: "expires_on \(expiredOn)"),
                Evidence(kind: .date, reference: expiredOn.description, note: "last day of the approval"),
            ],
            action: action)
    }

    private func severalEntries(_ account: InventoryAccount, _ entries: [AllowlistEntry]) -> Finding {
        let ids = entries.map(\.id)
        let detail = "\(RemediationText.accountLabel(account)) is named by \(entries.count) allowlist entries "
            + "(\(ids.joined(separator: ", "))), under different names of the same account; which approval governs "
            + "it is unclear."
        let action = "Merge the entries into one that lists every name of the account as account or aliases, "
            + "and remove the others with `bypass-auditor allowlist remove`."
        return Finding(
            id: "\(FindingKind.ambiguousIdentity.rawValue):account:\(account.id.key)", kind: .ambiguousIdentity,
            severity: .medium, tenant: context.tenant, account: account.displayName, accountID: account.id, names: account.names,
            entryID: ids.first, detail: detail,
            evidence: entries.map { Evidence(kind: .allowlistEntry, reference: $0.id, note: "names \($0.account)") },
            action: action)
    }
}
