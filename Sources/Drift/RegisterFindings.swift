import Core
import Inventory
import Policy
import Foundation

/// Findings about the register's own upkeep, one entry at a time: `expiring-soon`, `review-overdue`,
/// `incomplete-approval`, `stale-allowlist-entry`, and the `ambiguous-identity` of an entry naming several accounts.
struct RegisterFindings {
    let context: DriftContext

    func findings() -> [Finding] {
        var findings: [Finding] = []
        for (index, entry) in context.allowlist.entries.enumerated() {
            let accounts = context.accounts(ofEntryAt: index)
            // The policy stage's one definition of expiry, review and completeness, so `allowlist list` and drift
            // never disagree about an entry.
            let standing = context.allowlist.standing(of: entry, on: context.asOfDay)
            if let finding = expiringSoon(entry, standing) { findings.append(finding) }
            if let finding = reviewOverdue(entry, standing) { findings.append(finding) }
            if let finding = incomplete(entry, standing) { findings.append(finding) }
            if !accounts.contains(where: \.bypassEnabled) { findings.append(stale(entry, accounts)) }
            if accounts.count > 1 { findings.append(severalAccounts(entry, accounts)) }
        }
        return findings
    }

    private func finding(
        _ kind: FindingKind, _ severity: Severity, _ entry: AllowlistEntry, id: String? = nil, missing: [String] = [],
        detail: String, evidence: [Evidence], action: String
    ) -> Finding {
        let account = context.soleInventoryAccount(ofEntryID: entry.id)
        return Finding(
            id: id ?? "\(kind.rawValue):\(entry.id)", kind: kind, severity: severity, tenant: context.tenant,
            account: account?.displayName ?? entry.account, accountID: account?.id,
            names: [entry.account] + entry.aliases, entryID: entry.id, detail: detail,
            evidence: [Evidence(kind: .allowlistEntry, reference: entry.id, note: entryNote(entry, missing: missing))] + evidence,
            action: action)
    }

    /// Where the entry sits in the register, and what is missing when that is the finding.
    private func entryNote(_ entry: AllowlistEntry, missing: [String]) -> String? {
        var parts: [String] = []
        if let position = entry.position {
            let path = context.allowlist.path
            parts.append(path.isEmpty ? "line \(position.line)" : "\(path):\(position.line)")
        }
        if !missing.isEmpty { parts.append("missing " + missing.joined(separator: ", ")) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private func describe(_ entry: AllowlistEntry) -> String {
        var text = "allowlist entry \(entry.id) for '\(entry.account)'"
        switch entry.category {
        case .thirdPartyTool: text += " (third-party tool\(entry.tool.map { ": \($0)" } ?? ""))"
        case .lawfulMonitoring: text += " (lawful monitoring)"
        case nil: break
        }
        return text
    }

    private func expiringSoon(_ entry: AllowlistEntry, _ standing: AllowlistEntryStanding) -> Finding? {
        guard standing.expiringSoon, let expiresOn = entry.expiresOn, let daysLeft = standing.daysToExpiry else { return nil }
        let when = daysLeft == 0 ? "today is its last valid day" : "\(RemediationText.plural(daysLeft, "day")) left"
        let id = RemediationText.shellWord(entry.id)
        return finding(
            .expiringSoon, .low, entry,
            detail: "The approval in \(describe(entry)) expires after \(expiresOn) (\(when); warning starts "
                + "\(context.allowlist.expiryWarningDays) days ahead).",
            evidence: [Evidence(kind: .date, reference: expiresOn.description, note: "expires_on")],
            action: "Before \(expiresOn) ends, have the exemption re-approved and record it with "
                + "`bypass-auditor allowlist renew \(id)` and a new expiry date, or, if it is no longer needed, remove "
                + "the bypass (\(RemediationText.removeBypass(entry.account))) and the entry "
                + "(`bypass-auditor allowlist remove \(id)` with a reason).")
    }

    /// Due `review_interval_days` after `last_reviewed_on`, else after `approved_on` (the approval is the first
    /// review); an entry with neither date has no due date, and `incomplete-approval` says `approved_on` is missing.
    private func reviewOverdue(_ entry: AllowlistEntry, _ standing: AllowlistEntryStanding) -> Finding? {
        guard standing.reviewOverdue, let due = standing.reviewDueOn, let lastReview = entry.lastReviewedOn ?? entry.approvedOn
        else { return nil }
        let interval = context.allowlist.reviewIntervalDays
        let id = RemediationText.shellWord(entry.id)
        let field = entry.lastReviewedOn == nil ? "approved_on" : "last_reviewed_on"
        return finding(
            .reviewOverdue, .medium, entry,
            detail: "\(describe(entry).capitalizedFirst) was last reviewed on \(lastReview) (\(field)); reviews are "
                + "due every \(interval) days, so the review due by \(due) is "
                + "\(RemediationText.plural(due.distance(to: context.asOfDay), "day")) overdue.",
            evidence: [Evidence(kind: .date, reference: lastReview.description, note: field)],
            action: "Review the exemption (is the account still in use, is the "
                + "\(entry.category == .lawfulMonitoring ? "legal basis" : "tool") still current, does it still need to "
                + "go unaudited) and record the review with `bypass-auditor allowlist renew \(id)`; if it is no longer "
                + "needed, remove the bypass (\(RemediationText.removeBypass(entry.account))) and the entry "
                + "(`bypass-auditor allowlist remove \(id)` with a reason).")
    }

    private func incomplete(_ entry: AllowlistEntry, _ standing: AllowlistEntryStanding) -> Finding? {
        let missing = standing.missingFields
        guard !missing.isEmpty else { return nil }
        var detail = "\(describe(entry).capitalizedFirst) lacks \(missing.joined(separator: ", ")). It still approves "
            + "its account, but the exception is not fully written down"
        if missing.contains("legal_basis") {
            detail += ": without a legal basis the lawful-monitoring exemption cannot be verified"
        }
        detail += "."
        return finding(
            .incompleteApproval, .medium, entry, missing: missing, detail: detail,
            evidence: [],
            action: "Complete \(missing.joined(separator: ", ")) for \(entry.id) in the register (edit the file in "
                + "git, then check it with `bypass-auditor allowlist validate`).")
    }

    private func stale(_ entry: AllowlistEntry, _ accounts: [InventoryAccount]) -> Finding {
        var detail = "\(describe(entry).capitalizedFirst) approves a bypass, but "
        var evidence: [Evidence] = []
        if accounts.isEmpty {
            detail += "no account with any of its names has a bypass association in the logs or snapshots held"
        } else {
            let labels = accounts.map { RemediationText.accountLabel($0) }.joined(separator: "; ")
            detail += "\(labels) has no bypass at \(RemediationText.time(context.inputs.asOf))"
            for account in accounts {
                if let removal = account.changes.last(where: { $0.kind == .removed }) {
                    detail += " (removed \(RemediationText.time(removal.time)) by \(RemediationText.actor(removal.actor)))"
                    evidence += context.evidence(for: removal, note: "bypass removed by \(RemediationText.actor(removal.actor))")
                }
                if let observation = account.snapshotObservations.last(where: { $0.bypassEnabled == false }) {
                    evidence.append(
                        Evidence(
                            kind: .snapshot, reference: String(observation.snapshotID), time: observation.takenAt,
                            note: "snapshot shows AuditBypassEnabled False"))
                }
            }
        }
        detail += "."
        if context.standing(of: entry).approval == .expired, let day = entry.expiresOn {
            detail += " Its approval also expired after \(day)."
        }
        if !context.inventory.snapshots.contains(where: \.complete) {
            detail += " No complete snapshot has been imported, so a bypass set before the earliest logs held would "
                + "not be known: confirm with a full `Get-MailboxAuditBypassAssociation -ResultSize Unlimited` export."
        }
        return finding(
            .staleAllowlistEntry, .low, entry, detail: detail, evidence: evidence,
            action: "If the account no longer needs an exemption, remove the entry with "
                + "`bypass-auditor allowlist remove \(RemediationText.shellWord(entry.id))` and a reason, so the register "
                + "lists only exemptions in use; check first with \(RemediationText.showBypass(entry.account)).")
    }

    private func severalAccounts(_ entry: AllowlistEntry, _ accounts: [InventoryAccount]) -> Finding {
        let labels = accounts.map { RemediationText.accountLabel($0) }.joined(separator: "; ")
        return finding(
            .ambiguousIdentity, .medium, entry, id: "\(FindingKind.ambiguousIdentity.rawValue):entry:\(entry.id)",
            detail: "The names in \(describe(entry)) belong to \(accounts.count) different accounts: \(labels). "
                + "One entry should approve one account.",
            evidence: accounts.flatMap(context.presenceEvidence),
            action: "Find which account the exemption is for (compare GUIDs with "
                + "`Get-Mailbox -Identity <name> | Format-List Name,ExchangeGuid`) and keep only that account's names in "
                + "\(entry.id); give any other account that needs an exemption its own entry.")
    }
}

extension String {
    /// The string with its first character upper-cased (sentence start).
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
