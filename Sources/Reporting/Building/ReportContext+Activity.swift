import Detection
import Inventory
import Foundation

extension ReportContext {
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
