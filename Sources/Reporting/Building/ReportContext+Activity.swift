import Inventory
import Foundation

extension ReportContext {
    /// Every enable, removal, re-enable, failed attempt and unreadable record inside the period, oldest first.
    func changesInPeriod() -> [ReportChange] {
        var rows: [ReportChange] = []
        for account in inputs.inventory.accounts {
            for change in account.changes where isInPeriod(change.time) { rows.append(row(for: change, account: account)) }
            for attempt in account.attempts where isInPeriod(attempt.time) { rows.append(row(for: attempt, account: account)) }
        }
        // An unreadable record is listed once, even if the inventory also attached it to an account.
        if !inputs.inventory.indeterminateChanges.isEmpty {
            let listed = Set(rows.map(\.eventID))
            for change in inputs.inventory.indeterminateChanges where isInPeriod(change.time) && !listed.contains(change.eventID) {
                rows.append(row(for: change, account: nil))
            }
        }
        return ReportContext.sortedByTime(rows, time: \.time, tieBreak: \.eventID)
    }

    /// Sorts by time, then `tieBreak`, moving each (large) row once: comparisons read two small key arrays.
    static func sortedByTime<Row>(_ rows: [Row], time: KeyPath<Row, Date>, tieBreak: KeyPath<Row, String>) -> [Row] {
        let times = rows.map { $0[keyPath: time] }
        let ties = rows.map { $0[keyPath: tieBreak] }
        let order = rows.indices.sorted { times[$0] != times[$1] ? times[$0] < times[$1] : ties[$0] < ties[$1] }
        return order.map { rows[$0] }
    }

    private func row(for change: BypassChange, account: InventoryAccount?) -> ReportChange {
        ReportChange(
            anchor: ReportAnchor.change(change.eventID), eventID: change.eventID, time: change.time, kind: change.kind,
            accountKey: account?.id.key, account: account?.displayName ?? change.identity, identity: change.identity,
            actor: change.actor, actorAuthorized: isAuthorized(change.actor), clientIP: change.clientIP,
            outcome: change.outcome, direction: change.direction, originalStatus: change.originalStatus)
    }

    /// The period's alerts, oldest event first, with their triage.
    func alertRows() -> [ReportAlert] {
        inputs.alerts.sorted { $0.eventTime != $1.eventTime ? $0.eventTime < $1.eventTime : $0.id < $1.id }.map { alert in
            ReportAlert(
                anchor: ReportAnchor.alert(alert.id), id: alert.id, ruleID: alert.ruleID, ruleName: alert.ruleName,
                severity: alert.severity, signal: alert.signal, eventID: alert.eventID, eventTime: alert.eventTime,
                actor: alert.actor, target: alert.target, outcome: alert.outcome, direction: alert.direction,
                raisedAt: alert.raisedAt, triageState: alert.triage == nil ? .open : .acknowledged,
                triagedBy: alert.triage?.by, triagedAt: alert.triage?.at, triageNote: alert.triage?.note)
        }
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
