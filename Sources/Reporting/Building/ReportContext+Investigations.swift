import Core
import Detection
import Inventory
import Foundation

extension ReportContext {
    /// One investigation per account bypassed without a valid approval at as-of, plus accounts whose unapproved
    /// bypass was opened and removed before as-of (their blind window still needs looking into). `alerts` are the
    /// report's alert rows, which the checklists cite.
    ///
    /// Only the first `checklists` investigations (in report order) get their checklist: no file shows more, and at
    /// 5,000 investigations writing the rest took 20 MB and a tenth of a report run for nothing.
    func investigations(rows: [ReportAccount], alerts: [ReportAlert], checklists: Int) -> [Investigation] {
        let violations = rows.filter { $0.status.isViolation }
        var candidates: [(account: InventoryAccount, reason: InvestigationReason, row: ReportAccount?, windows: [BlindWindow])] = []
        for row in violations {
            guard let account = accountsByKey[row.key] else { continue }
            candidates.append((account, row.status == .expired ? .expired : .unapproved, row, blindWindows(of: account)))
        }
        for account in inputs.inventory.accounts where !account.bypassEnabled {
            let windows = blindWindows(of: account).filter { window in window.end.map(isInPeriod) ?? false }
            guard let last = windows.last, let end = last.end else { continue }
            let endDay = UTCDay(containing: end)
            guard entries(for: account).allSatisfy({ !$0.isApproved(on: endDay) }) else { continue }
            candidates.append((account, .removedUnapproved, nil, windows))
        }
        guard !candidates.isEmpty else { return [] }
        var ordered = candidates.map { candidate in
            let entry = entry(for: candidate.account)
            let investigation = Investigation(
                anchor: ReportAnchor.investigation(candidate.account.id.key), accountKey: candidate.account.id.key,
                account: candidate.account.displayName, accountAnchor: candidate.row?.anchor, reason: candidate.reason,
                entryID: entry?.id, findingIDs: (findingsByAccount[candidate.account.id.key] ?? []).map(\.id).sorted(),
                windows: candidate.windows, checklist: [])
            return (account: candidate.account, entry: entry, investigation: investigation)
        }.sorted { lhs, rhs in
            let (left, right) = (lhs.investigation, rhs.investigation)
            let leftReason = InvestigationReason.allCases.firstIndex(of: left.reason) ?? 0
            let rightReason = InvestigationReason.allCases.firstIndex(of: right.reason) ?? 0
            if leftReason != rightReason { return leftReason < rightReason }
            let leftStart = left.currentWindow?.start ?? .distantPast
            let rightStart = right.currentWindow?.start ?? .distantPast
            return leftStart != rightStart ? leftStart < rightStart : left.accountKey < right.accountKey
        }
        let shown = min(max(checklists, 0), ordered.count)
        if shown > 0 {
            let activity = ActorActivity(self)
            // Only the alerts of the accounts whose checklist is written: an index of all 200,000 at scale was
            // 13 MB of the report's peak for 25 checklists.
            var cited = Set<String>()
            for (account, _, _) in ordered[0..<shown] {
                for change in account.changes { cited.insert(change.eventID) }
                for attempt in account.attempts { cited.insert(attempt.eventID) }
            }
            let alertsByEvent = AlertsByEvent(alerts.filter { cited.contains($0.eventID) })
            for index in 0..<shown {
                let (account, entry, investigation) = ordered[index]
                ordered[index].investigation.checklist = ChecklistWriter(
                    context: self, activity: activity, alertsByEvent: alertsByEvent, account: account,
                    reason: investigation.reason, entry: entry, window: investigation.windows.last,
                    findingIDs: investigation.findingIDs
                ).items()
            }
        }
        return ordered.map(\.investigation)
    }

    /// The account's stretches without auditing that overlap the period, oldest first: each enable (or re-enable)
    /// opens one, the next removal closes it; a bypass no event explains starts at the snapshot that shows it.
    func blindWindows(of account: InventoryAccount) -> [BlindWindow] {
        var windows: [BlindWindow] = []
        var opening: BypassChange?
        for change in account.changes.sorted(by: { $0.time < $1.time }) {
            switch change.kind {
            case .enabled, .reenabled:
                if opening == nil { opening = change }
            case .removed:
                if let start = opening {
                    windows.append(window(opening: start, closing: change, account: account))
                    opening = nil
                } else if let shown = account.snapshotObservations.filter({ $0.bypassEnabled == true && $0.takenAt < change.time })
                    .min(by: { $0.takenAt < $1.takenAt })
                {
                    windows.append(window(snapshotShown: shown.takenAt, closing: change, account: account))
                }
            case .failedAttempt, .indeterminate:
                continue
            }
        }
        if account.bypassEnabled {
            if let start = opening {
                windows.append(window(opening: start, closing: nil, account: account))
            } else {
                windows.append(window(snapshotShown: account.since, closing: nil, account: account))
            }
        }
        return windows.filter { window in
            (window.end.map { $0 >= period.start } ?? true) && (window.start.map { $0 <= inputs.asOf } ?? true)
        }
    }

    private func window(opening: BypassChange, closing: BypassChange?, account: InventoryAccount) -> BlindWindow {
        BlindWindow(
            start: opening.time, startIsUpperBound: false, openedByEventID: opening.eventID, openedBy: opening.actor,
            openedByAuthorized: isAuthorized(opening.actor), openedFromIP: opening.clientIP, end: closing?.time,
            closedByEventID: closing?.eventID, closedBy: closing?.actor,
            durationSeconds: duration(from: opening.time, to: closing?.time))
    }

    private func window(snapshotShown start: Date?, closing: BypassChange?, account: InventoryAccount) -> BlindWindow {
        // No event opened it: the actor is only known when the inventory says who set the current state.
        let actor = closing == nil ? account.setBy : nil
        return BlindWindow(
            start: start, startIsUpperBound: start != nil, openedByEventID: nil, openedBy: actor,
            openedByAuthorized: isAuthorized(actor), openedFromIP: nil, end: closing?.time,
            closedByEventID: closing?.eventID, closedBy: closing?.actor,
            durationSeconds: start.flatMap { duration(from: $0, to: closing?.time) })
    }

    private func duration(from start: Date, to end: Date?) -> Int? {
        Int(max(0, (end ?? inputs.asOf).timeIntervalSince(start)).rounded(.down))
    }
}

/// Who did what in the period, across all accounts: the checklist's "history of the accounts involved".
/// Computed once per report, so 10,000 checklists over 200,000 changes stay linear.
struct ActorActivity {
    /// Accounts each actor (by name key) changed successfully in the period.
    var accountSetByActor: [String: Set<String>] = [:]
    /// The same, sorted by key (for stable "and N more" lists).
    var accountsByActor: [String: [String]] = [:]
    /// Failed attempts in the period by actor name key.
    var failedCountByActor: [String: Int] = [:]

    init(_ context: ReportContext) {
        var touched: [String: Set<String>] = [:]
        for account in context.inputs.inventory.accounts {
            for change in account.changes where context.isInPeriod(change.time) {
                guard let actor = change.actor else { continue }
                touched[context.actorKey(actor), default: []].insert(account.id.key)
            }
            for attempt in account.attempts where context.isInPeriod(attempt.time) {
                guard let actor = attempt.actor else { continue }
                failedCountByActor[context.actorKey(actor), default: 0] += 1
            }
        }
        accountSetByActor = touched
        accountsByActor = touched.mapValues { $0.sorted() }
    }
}
