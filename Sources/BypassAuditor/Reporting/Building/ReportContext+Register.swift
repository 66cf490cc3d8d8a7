import Foundation

extension ReportContext {
    /// Entries expiring soon, expired, overdue for review, stale or incomplete; edits and version changes in the period.
    func allowlistHealth() -> AllowlistHealth {
        let allowlist = inputs.allowlist
        let bypassedNames = Set(
            inputs.inventory.accounts.filter(\.bypassEnabled)
                .flatMap { ($0.names + [$0.guid].compactMap { $0 }).map(AccountName.key(for:)) })
        var findingByEntryAndKind: [String: String] = [:]
        for finding in inputs.drift.findings {
            guard let entryID = finding.entryID else { continue }
            findingByEntryAndKind[entryID + "\u{0}" + finding.kind.rawValue] = finding.id
        }
        func finding(_ entry: AllowlistEntry, _ kind: FindingKind) -> String? {
            findingByEntryAndKind[entry.id + "\u{0}" + kind.rawValue]
        }
        func notice(_ entry: AllowlistEntry, _ date: UTCDay, _ kind: FindingKind) -> EntryDateNotice {
            EntryDateNotice(
                entryID: entry.id, account: entry.account, date: date, daysFromAsOf: asOfDay.distance(to: date),
                findingID: finding(entry, kind))
        }

        let entries = allowlist.entries.sorted { $0.id < $1.id }
        var expiringSoon: [EntryDateNotice] = []
        var expired: [EntryDateNotice] = []
        var overdue: [EntryDateNotice] = []
        var stale: [EntryNotice] = []
        var incomplete: [EntryNotice] = []
        for entry in entries {
            if let expires = entry.expiresOn {
                if expires < asOfDay {
                    expired.append(notice(entry, expires, .expiredApproval))
                } else if isExpiringSoon(entry) {
                    expiringSoon.append(notice(entry, expires, .expiringSoon))
                }
            }
            if let due = reviewDue(of: entry), asOfDay > due {
                overdue.append(notice(entry, due, .reviewOverdue))
            }
            if !entry.names.contains(where: { bypassedNames.contains($0.key) }) {
                stale.append(EntryNotice(entryID: entry.id, account: entry.account, findingID: finding(entry, .staleAllowlistEntry)))
            }
            let missing = entry.missingRequiredFields
            if !missing.isEmpty {
                incomplete.append(
                    EntryNotice(entryID: entry.id, account: entry.account, missingFields: missing, findingID: finding(entry, .incompleteApproval)))
            }
        }

        let edits = inputs.edits.filter { period.contains($0.at) }.sorted { $0.at < $1.at }
        let versionChanges = inputs.versionChanges.filter { period.contains($0.seenAt) }.sorted {
            $0.seenAt != $1.seenAt ? $0.seenAt < $1.seenAt : $0.entryID < $1.entryID
        }
        // A version change the edit log explains (same entry, edited before it was seen) came through the tool.
        let editedEntries = Dictionary(grouping: inputs.edits, by: \.entryID)
        return AllowlistHealth(
            path: allowlist.path, sha256: allowlist.sha256, entries: allowlist.entries.count,
            reviewIntervalDays: allowlist.reviewIntervalDays, expiryWarningDays: allowlist.expiryWarningDays,
            authorizedAdmins: allowlist.authorizedAdmins, expiringSoon: expiringSoon.sorted { $0.date < $1.date },
            expired: expired.sorted { $0.date < $1.date }, reviewsOverdue: overdue.sorted { $0.date < $1.date },
            stale: stale, incomplete: incomplete, edits: edits.map(ReportAllowlistEdit.init),
            versionChanges: versionChanges.map { change in
                let explained = (editedEntries[change.entryID] ?? []).contains { $0.at <= change.seenAt }
                return ReportAllowlistVersionChange(change, direct: !explained)
            })
    }
}
