import Drift
import Foundation

extension ReportContext {
    /// New, resolved and persisting findings by stable id, and accounts added and removed, against the previous report.
    func comparison(findings: [ReportFinding], accounts: [ReportAccount]) -> ReportComparison {
        guard let previous = inputs.previous else {
            return ReportComparison(
                previous: nil, newFindings: [], resolvedFindings: [], persistingFindings: [], accountsAdded: [], accountsRemoved: [])
        }
        let previousFindings = Dictionary(previous.findings.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let currentIDs = Set(findings.map(\.id))
        let reference = { (finding: ReportFinding) in
            FindingReference(id: finding.id, anchor: finding.anchor, kind: finding.kind, severity: finding.severity)
        }
        let previousAccounts = Dictionary(previous.accounts.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let currentKeys = Set(accounts.map(\.key))
        return ReportComparison(
            previous: PreviousReportReference(
                reportID: previous.reportID, periodLabel: previous.periodLabel, revision: previous.revision,
                generatedAt: previous.generatedAt, folder: previous.folder,
                isImmediatelyPreceding: previous.period == period.previous),
            newFindings: findings.filter { previousFindings[$0.id] == nil }.map(reference),
            resolvedFindings: previous.findings.filter { !currentIDs.contains($0.id) }
                .sorted { Finding.precedes(($0.severity, $0.id), ($1.severity, $1.id)) }
                .map { FindingReference(id: $0.id, anchor: nil, kind: $0.kind, severity: $0.severity) },
            persistingFindings: findings.filter { previousFindings[$0.id] != nil }.map(reference),
            accountsAdded: accounts.filter { previousAccounts[$0.key] == nil }
                .map { AccountReference(key: $0.key, name: $0.displayName, anchor: $0.anchor) },
            accountsRemoved: previous.accounts.filter { !currentKeys.contains($0.key) }
                .sorted { $0.key < $1.key }
                .map { AccountReference(key: $0.key, name: $0.name, anchor: nil) })
    }

    /// The last twelve periods, oldest first: the latest run of each earlier period, then this report.
    func trend(reportID: String, summary: ReportSummary) -> [TrendPoint] {
        var latestByPeriod: [String: StoredReportSummary] = [:]
        for run in inputs.history where run.tenant == inputs.tenant && run.periodLabel != period.label && run.period.lastDay < period.firstDay {
            if let kept = latestByPeriod[run.periodLabel], kept.generatedAt >= run.generatedAt { continue }
            latestByPeriod[run.periodLabel] = run
        }
        let earlier = latestByPeriod.values.sorted { $0.period.firstDay < $1.period.firstDay }.suffix(11)
        return earlier.map {
            TrendPoint(
                periodLabel: $0.periodLabel, reportID: $0.reportID, isCurrent: false, bypassedAccounts: $0.bypassedAccounts,
                findings: $0.findingsBySeverity)
        } + [
            TrendPoint(
                periodLabel: period.label, reportID: reportID, isCurrent: true, bypassedAccounts: summary.bypassedAccounts,
                findings: summary.findingsBySeverity)
        ]
    }
}
