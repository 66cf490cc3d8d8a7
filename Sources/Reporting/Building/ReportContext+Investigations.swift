import Core
import Detection
import Inventory
import Foundation

extension ReportContext {
    /// One investigation per account bypassed without a valid approval at as-of, plus accounts whose unapproved
    /// bypass was opened and removed before as-of (their blind window still needs looking into). `alerts` are the
    /// report's alert rows, which the checklists cite: indexed by event here only, so the index (14 MB at 200,000
    /// alerts) is gone before the next section is built.
    func investigations(rows: [ReportAccount], alerts: [ReportAlert]) -> [Investigation] {
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
        let activity = ActorActivity(self)
        let alertsByEvent = AlertsByEvent(alerts)
        return candidates.map { candidate in
            let findingIDs = (findingsByAccount[candidate.account.id.key] ?? []).map(\.id).sorted()
            let entry = entry(for: candidate.account)
            return Investigation(
                anchor: ReportAnchor.investigation(candidate.account.id.key), accountKey: candidate.account.id.key,
                account: candidate.account.displayName, accountAnchor: candidate.row?.anchor, reason: candidate.reason,
                entryID: entry?.id, findingIDs: findingIDs, windows: candidate.windows,
                checklist: ChecklistWriter(
                    context: self, activity: activity, alertsByEvent: alertsByEvent, account: candidate.account, reason: candidate.reason,
                    entry: entry, window: candidate.windows.last, findingIDs: findingIDs
                ).items())
        }.sorted {
            let left = InvestigationReason.allCases.firstIndex(of: $0.reason) ?? 0
            let right = InvestigationReason.allCases.firstIndex(of: $1.reason) ?? 0
            if left != right { return left < right }
            let leftStart = $0.currentWindow?.start ?? .distantPast
            let rightStart = $1.currentWindow?.start ?? .distantPast
            return leftStart != rightStart ? leftStart < rightStart : $0.accountKey < $1.accountKey
        }
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
