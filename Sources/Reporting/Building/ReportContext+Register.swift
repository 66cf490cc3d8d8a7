import Core
import Drift
import Policy
import Foundation

extension ReportContext {
    /// Entries expiring soon, expired, overdue for review, stale or incomplete; edits and version changes in the period.
    func allowlistHealth() -> AllowlistHealth {
        let allowlist = inputs.allowlist
        let bypassedNames = Set(inputs.inventory.accounts.filter(\.bypassEnabled).flatMap(\.matchKeys))
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
            let standing = standing(of: entry)
            if let expires = entry.expiresOn {
                if standing.expired {
                    expired.append(notice(entry, expires, .expiredApproval))
                } else if standing.expiringSoon {
                    expiringSoon.append(notice(entry, expires, .expiringSoon))
                }
            }
            if standing.reviewOverdue, let due = standing.reviewDueOn {
                overdue.append(notice(entry, due, .reviewOverdue))
            }
            if entry.matchKeys.isDisjoint(with: bypassedNames) {
                stale.append(EntryNotice(entryID: entry.id, account: entry.account, findingID: finding(entry, .staleAllowlistEntry)))
            }
            let missing = standing.missingFields
            if !missing.isEmpty {
                incomplete.append(
                    EntryNotice(entryID: entry.id, account: entry.account, missingFields: missing, findingID: finding(entry, .incompleteApproval)))
            }
        }

        let edits = inputs.edits.filter { period.contains($0.at) }.sorted { $0.at < $1.at }
        let versionChanges = inputs.versionChanges.filter { period.contains($0.seenAt) }.sorted {
            $0.seenAt != $1.seenAt ? $0.seenAt < $1.seenAt : $0.entryID < $1.entryID
        }
        // The editor stores the new version in the same transaction as its edit, with the edit's time: a version
        // change with a matching edit came through the tool; any other was made directly in the file.
        let editedEntries = Dictionary(grouping: inputs.edits, by: { $0.entryID.lowercased() })
        return AllowlistHealth(
            path: allowlist.path, sha256: allowlist.sha256, entries: allowlist.entries.count,
            reviewIntervalDays: allowlist.reviewIntervalDays, expiryWarningDays: allowlist.expiryWarningDays,
            authorizedAdmins: allowlist.authorizedAdmins, expiringSoon: expiringSoon.sorted { $0.date < $1.date },
            expired: expired.sorted { $0.date < $1.date }, reviewsOverdue: overdue.sorted { $0.date < $1.date },
            stale: stale, incomplete: incomplete, edits: edits.map(ReportAllowlistEdit.init),
            versionChanges: versionChanges.map { change in
                let explained = (editedEntries[change.entryID.lowercased()] ?? []).contains { abs($0.at.timeIntervalSince(change.seenAt)) < 1 }
                return ReportAllowlistVersionChange(change, direct: !explained)
            })
    }
}
