import Foundation

extension ReportContext {
    /// Every enable, removal, re-enable, failed attempt and unreadable record inside the period, oldest first.
    func changesInPeriod() -> [ReportChange] {
        var rows: [ReportChange] = []
        var seen = Set<String>()
        for account in inputs.inventory.accounts {
            for change in account.changes + account.attempts where isInPeriod(change.time) {
                guard seen.insert(change.eventID + "\u{0}" + account.id.key).inserted else { continue }
                rows.append(row(for: change, account: account))
            }
        }
        for change in inputs.inventory.indeterminateChanges where isInPeriod(change.time) {
            guard seen.insert(change.eventID + "\u{0}").inserted else { continue }
            rows.append(row(for: change, account: nil))
        }
        return rows.sorted { $0.time != $1.time ? $0.time < $1.time : $0.eventID < $1.eventID }
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
