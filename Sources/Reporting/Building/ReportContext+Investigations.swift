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
        let accounts = inputs.inventory.accounts
        for index in accounts.indices where !accounts[index].bypassEnabled {
            let account = accounts[index]
            let windows = blindWindows(of: account).filter { window in window.end.map(isInPeriod) ?? false }
            guard let last = windows.last, let end = last.end else { continue }
            let endDay = UTCDay(containing: end)
            guard entries(for: account).allSatisfy({ !$0.isApproved(on: endDay) }) else { continue }
            candidates.append((account, .removedUnapproved, nil, windows))
        }
        guard !candidates.isEmpty else { return [] }
        let made = candidates.map { candidate in
            let entry = entry(for: candidate.account)
            let investigation = Investigation(
                anchor: ReportAnchor.investigation(candidate.account.id.key), accountKey: candidate.account.id.key,
                account: candidate.account.displayName, accountAnchor: candidate.row?.anchor, reason: candidate.reason,
                entryID: entry?.id, findingIDs: (findingsByAccount[candidate.account.id.key] ?? []).map(\.id).sorted(),
                windows: candidate.windows, checklist: [])
            return (account: candidate.account, entry: entry, investigation: investigation)
        }
        // Report order: by reason, then by when the current window opened, then by account. Positions are sorted
        // rather than the investigations with their accounts: moving 5,000 of those about was a tenth of building a
        // report at scale.
        let reasonRank = Dictionary(uniqueKeysWithValues: InvestigationReason.allCases.enumerated().map { ($1, $0) })
        let keys = made.map { made in
            (reason: reasonRank[made.investigation.reason] ?? 0,
             start: made.investigation.currentWindow?.start ?? .distantPast)
        }
        let order = made.indices.sorted { left, right in
            if keys[left].reason != keys[right].reason { return keys[left].reason < keys[right].reason }
            if keys[left].start != keys[right].start { return keys[left].start < keys[right].start }
            return made[left].investigation.accountKey < made[right].investigation.accountKey
        }
        var ordered = order.map { made[$0] }
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
            // By index: `filter` copied each of the month's alerts whole to test its event id.
            var citedAlerts: [ReportAlert] = []
            for index in alerts.indices where cited.contains(alerts[index].eventID) { citedAlerts.append(alerts[index]) }
            let alertsByEvent = AlertsByEvent(citedAlerts)
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
        // The inventory lists an account's changes in event order, so they are walked where they are; only a list out
        // of time order (a change stored without a time stands at when it was stored) is sorted first. Sorted copies
        // of every account's changes were the larger part of finding the investigations at 200,000 changes.
        let changes = Self.inTimeOrder(account.changes)
        var opening: Int?
        for index in changes.indices {
            switch changes[index].kind {
            case .enabled, .reenabled:
                if opening == nil { opening = index }
            case .removed:
                if let start = opening {
                    windows.append(window(in: changes, opening: start, closing: index))
                    opening = nil
                } else if let shown = earliestSnapshotShowingBypass(of: account, before: changes[index].time) {
                    windows.append(window(snapshotShown: shown, in: changes, closing: index, account: account))
                }
            case .failedAttempt, .indeterminate:
                continue
            }
        }
        if account.bypassEnabled {
            if let start = opening {
                windows.append(window(in: changes, opening: start, closing: nil))
            } else {
                windows.append(window(snapshotShown: account.since, in: changes, closing: nil, account: account))
            }
        }
        return windows.filter { window in
            (window.end.map { $0 >= period.start } ?? true) && (window.start.map { $0 <= inputs.asOf } ?? true)
        }
    }

    /// `changes` sorted by time, ties in the order given (what a stable sort gives): the same list when it is
    /// already in that order.
    static func inTimeOrder(_ changes: [BypassChange]) -> [BypassChange] {
        let sorted = changes.indices.dropFirst().allSatisfy { changes[$0 - 1].time <= changes[$0].time }
        guard !sorted else { return changes }
        return changes.indices.sorted { (changes[$0].time, $0) < (changes[$1].time, $1) }.map { changes[$0] }
    }

    // The windows take the changes that open and close them by position, and read their fields where they are:
    // passed as values, each change was copied whole (every text it holds retained and released).

    private func window(in changes: [BypassChange], opening: Int, closing: Int?) -> BlindWindow {
        let end = closing.map { changes[$0].time }
        return BlindWindow(
            start: changes[opening].time, startIsUpperBound: false, openedByEventID: changes[opening].eventID,
            openedBy: changes[opening].actor, openedByAuthorized: isAuthorized(changes[opening].actor),
            openedFromIP: changes[opening].clientIP, end: end, closedByEventID: closing.map { changes[$0].eventID },
            closedBy: closing.flatMap { changes[$0].actor }, durationSeconds: duration(from: changes[opening].time, to: end))
    }

    private func window(snapshotShown start: Date?, in changes: [BypassChange], closing: Int?, account: InventoryAccount)
        -> BlindWindow
    {
        // No event opened it: the actor is only known when the inventory says who set the current state.
        let actor = closing == nil ? account.setBy : nil
        let end = closing.map { changes[$0].time }
        return BlindWindow(
            start: start, startIsUpperBound: start != nil, openedByEventID: nil, openedBy: actor,
            openedByAuthorized: isAuthorized(actor), openedFromIP: nil, end: end,
            closedByEventID: closing.map { changes[$0].eventID }, closedBy: closing.flatMap { changes[$0].actor },
            durationSeconds: start.flatMap { duration(from: $0, to: end) })
    }

    /// When the earliest snapshot taken before `time` showed the account bypassed: a removal no event opened a window
    /// for closes one that starts there.
    private func earliestSnapshotShowingBypass(of account: InventoryAccount, before time: Date) -> Date? {
        var earliest: Date?
        for observation in account.snapshotObservations
        where observation.bypassEnabled == true && observation.takenAt < time {
            earliest = min(earliest ?? observation.takenAt, observation.takenAt)
        }
        return earliest
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
        // By index: a `for` loop copied each account whole.
        let accounts = context.inputs.inventory.accounts
        for accountIndex in accounts.indices {
            let (changes, attempts) = (accounts[accountIndex].changes, accounts[accountIndex].attempts)
            // An account's changes are mostly made by one or two admins, one after another: each run of the same
            // actor is counted once (a look-up per change was a fifth of finding the investigations at scale).
            var previousActor: String?
            for index in changes.indices where context.isInPeriod(changes[index].time) {
                guard let actor = changes[index].actor, actor != previousActor else { continue }
                previousActor = actor
                touched[context.actorKey(actor), default: []].insert(accounts[accountIndex].id.key)
            }
            for index in attempts.indices where context.isInPeriod(attempts[index].time) {
                guard let actor = attempts[index].actor else { continue }
                failedCountByActor[context.actorKey(actor), default: 0] += 1
            }
        }
        accountSetByActor = touched
        accountsByActor = touched.mapValues { $0.sorted() }
    }
}
