import Detection
import Inventory
import Foundation

extension ReportContext {
    /// Every enable, removal, re-enable, failed attempt and unreadable record inside the period, oldest first (then by
    /// event id).
    ///
    /// The order is worked out on small references first and each row is made once, in place: at 200,000 changes,
    /// building the rows and then a sorted copy held both at once.
    func changesInPeriod() -> [ReportChange] {
        enum Source { case change(account: Int, index: Int), attempt(account: Int, index: Int), unattached(index: Int) }
        var sources: [(time: Date, eventID: String, source: Source)] = []
        let accounts = inputs.inventory.accounts
        // By position, reading fields in place: looping over the values copied every change (its texts retained).
        for accountIndex in accounts.indices {
            let changes = accounts[accountIndex].changes
            for index in changes.indices where isInPeriod(changes[index].time) {
                sources.append((changes[index].time, changes[index].eventID, .change(account: accountIndex, index: index)))
            }
            let attempts = accounts[accountIndex].attempts
            for index in attempts.indices where isInPeriod(attempts[index].time) {
                sources.append((attempts[index].time, attempts[index].eventID, .attempt(account: accountIndex, index: index)))
            }
        }
        // An unreadable record is listed once, even if the inventory also attached it to an account.
        let unattached = inputs.inventory.indeterminateChanges
        if !unattached.isEmpty {
            let listed = Set(sources.map(\.eventID))
            for (index, change) in unattached.enumerated() where isInPeriod(change.time) && !listed.contains(change.eventID) {
                sources.append((change.time, change.eventID, .unattached(index: index)))
            }
        }
        sources.sort { $0.time != $1.time ? $0.time < $1.time : $0.eventID < $1.eventID }
        var rows: [ReportChange] = []
        rows.reserveCapacity(sources.count)
        // Each row names its account by key and display name, taken here once per account: passing the account
        // itself copied all of it (every change it holds, retained) for each of a month's 200,000 rows.
        let names = accounts.map { (key: $0.id.key, display: $0.displayName) }
        for (_, _, source) in sources {
            switch source {
            case .change(let account, let index): rows.append(row(for: accounts[account].changes[index], account: names[account]))
            case .attempt(let account, let index): rows.append(row(for: accounts[account].attempts[index], account: names[account]))
            case .unattached(let index): rows.append(row(for: unattached[index], account: nil))
            }
        }
        return rows
    }

    private func row(for change: BypassChange, account: (key: String, display: String)?) -> ReportChange {
        ReportChange(
            eventID: change.eventID, time: change.time, kind: change.kind,
            accountKey: account?.key, account: account?.display ?? change.identity, identity: change.identity,
            actor: change.actor, actorAuthorized: isAuthorized(change.actor), clientIP: change.clientIP,
            outcome: change.outcome, direction: change.direction, originalStatus: change.originalStatus)
    }

    /// `alerts` (the period's), oldest event first, with their triage.
    static func alertRows(_ alerts: [Alert]) -> [ReportAlert] {
        // Not a sorted copy in the common case: one of a month's alerts was 42 MB of the report's peak at 200,000.
        let ordered = alerts.inEventOrder()
        var rows: [ReportAlert] = []
        rows.reserveCapacity(ordered.count)
        for alert in ordered {
            rows.append(ReportAlert(
                anchor: ReportAnchor.alert(alert.id), id: alert.id, ruleID: alert.ruleID, ruleName: alert.ruleName,
                severity: alert.severity, signal: alert.signal, eventID: alert.eventID, eventTime: alert.eventTime,
                actor: alert.actor, target: alert.target, outcome: alert.outcome, direction: alert.direction,
                raisedAt: alert.raisedAt, triageState: alert.triage == nil ? .open : .acknowledged,
                triagedBy: alert.triage?.by, triagedAt: alert.triage?.at, triageNote: alert.triage?.note))
        }
        return rows
    }

    /// Records per day from the period's first day through the as-of day, and the snapshots used: those taken in the
    /// period plus the latest one before it (the baseline).
    func coverage() -> DataCoverage {
        let lastDay = min(period.lastDay, asOfDay)
        let days = period.firstDay <= lastDay ? Array(period.firstDay...lastDay) : []
        let snapshots = inputs.inventory.snapshots.filter { $0.takenAt <= inputs.asOf }.sorted { $0.takenAt < $1.takenAt }
        let inPeriod = snapshots.filter { $0.takenAt >= period.start }
        let baseline = snapshots.last { $0.takenAt < period.start }
        return DataCoverage(
            days: days.map { DayCoverage(day: $0, records: inputs.coverage[$0] ?? 0) },
            snapshots: (baseline.map { [ReportSnapshot($0, baseline: true)] } ?? [])
                + inPeriod.map { ReportSnapshot($0, baseline: false) })
    }
}
