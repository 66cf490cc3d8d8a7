import Core
import Drift
import Inventory
import Policy
import Foundation

extension ReportContext {
    /// Every account bypassed at as-of, with the written exception covering it; those without a valid one first.
    func inventoryRows() -> [ReportAccount] {
        // The bypassed accounts picked by index and their rows sorted by position: filtering copied every account
        // whole, and sorting moved the rows about with their keys.
        let accounts = inputs.inventory.accounts
        var rows: [ReportAccount] = []
        var keys: [(rank: Int, name: String)] = []
        for index in accounts.indices where accounts[index].bypassEnabled {
            let row = row(for: accounts[index])
            keys.append((ReportContext.statusRank(row.status), AccountName.key(for: row.displayName)))
            rows.append(row)
        }
        return rows.indices.sorted { left, right in
            if keys[left].rank != keys[right].rank { return keys[left].rank < keys[right].rank }
            return keys[left].name != keys[right].name ? keys[left].name < keys[right].name : rows[left].key < rows[right].key
        }.map { rows[$0] }
    }

    static func statusRank(_ status: AccountApprovalStatus) -> Int {
        switch status {
        case .unapproved: 0
        case .expired: 1
        case .expiringSoon: 2
        case .approved: 3
        }
    }

    func row(for account: InventoryAccount) -> ReportAccount {
        let findings = findingsByAccount[account.id.key] ?? []
        let kinds = Set(findings.map(\.kind))
        let entry = entry(for: account)
        let status = approvalStatus(kinds: kinds, entry: entry)
        let standing = entry.map(standing(of:))
        let reviewDue = standing?.reviewDueOn
        let reviewOverdue = kinds.contains(.reviewOverdue) || standing?.reviewOverdue == true
        let sinceFromEvent = account.sinceEventID != nil || account.changes.contains { change in
            change.time == account.since && (change.kind == .enabled || change.kind == .reenabled)
        }
        return ReportAccount(
            anchor: ReportAnchor.account(account.id.key), key: account.id.key, displayName: account.displayName,
            exchangeName: account.exchangeName, guid: account.guid, names: account.names, status: status,
            reviewOverdue: entry != nil && reviewOverdue, reviewDue: reviewDue, entryID: entry?.id,
            category: entry?.category, tool: entry?.tool, legalBasis: entry?.legalBasis, owner: entry?.owner,
            justification: entry?.justification, approvedBy: entry?.approvedBy, approvedOn: entry?.approvedOn,
            ticket: entry?.ticket, lastReviewedOn: entry?.lastReviewedOn, expiresOn: entry?.expiresOn,
            missingFields: entry?.missingRequiredFields ?? [], since: account.since,
            sinceIsUpperBound: account.since != nil && !sinceFromEvent, setBy: account.setBy,
            setByAuthorized: isAuthorized(account.setBy), lastEventID: account.lastEventID, source: account.source,
            findingIDs: findings.map(\.id).sorted())
    }

    /// Drift's verdict first (it is the judge); otherwise the entry's standing, the same `ApprovalStanding` drift
    /// used (an entry whose `approved_on` is after as-of approves nothing yet).
    func approvalStatus(kinds: Set<FindingKind>, entry: AllowlistEntry?) -> AccountApprovalStatus {
        if kinds.contains(.unapprovedBypass) { return .unapproved }
        if kinds.contains(.expiredApproval) { return .expired }
        guard let entry else { return .unapproved }
        switch standing(of: entry).approval {
        case .notYetApproved: return .unapproved
        case .expired: return .expired
        case .expiring: return .expiringSoon
        case .inForce: return kinds.contains(.expiringSoon) ? .expiringSoon : .approved
        }
    }
}
