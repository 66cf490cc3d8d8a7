import Core
import Foundation

/// `coverage-gap`: completed days of the period with no ingested audit record at all, one finding per run of
/// consecutive days (a month without data is one finding, not thirty).
struct CoverageFindings {
    let context: DriftContext

    /// The runs of consecutive days without data, in order.
    static func gaps(in days: [UTCDay], coverage: [UTCDay: Int]) -> [ClosedRange<UTCDay>] {
        var gaps: [ClosedRange<UTCDay>] = []
        var start: UTCDay?
        var previous: UTCDay?
        for day in days.sorted() where (coverage[day] ?? 0) <= 0 {
            if let last = previous, last.advanced(by: 1) == day {
                previous = day
                continue
            }
            if let first = start, let last = previous { gaps.append(first...last) }
            start = day
            previous = day
        }
        if let first = start, let last = previous { gaps.append(first...last) }
        return gaps
    }

    func findings() -> [Finding] {
        Self.gaps(in: context.inputs.completedPeriodDays, coverage: context.inputs.coverage).map(finding)
    }

    private func finding(_ gap: ClosedRange<UTCDay>) -> Finding {
        let length = gap.lowerBound.distance(to: gap.upperBound) + 1
        let span = length == 1 ? "\(gap.lowerBound)" : "\(gap.lowerBound)..\(gap.upperBound)"
        let words = length == 1 ? "On \(gap.lowerBound)" : "From \(gap.lowerBound) through \(gap.upperBound) (\(length) days)"
        return Finding(
            id: "\(FindingKind.coverageGap.rawValue):\(span)", kind: .coverageGap, severity: .medium,
            tenant: context.tenant, account: nil, names: [], entryID: nil,
            detail: "\(words) no audit record of any kind was ingested, so the absence of bypass changes and "
                + "impairments on \(length == 1 ? "that day" : "those days") proves nothing.",
            evidence: Array(gap).map { Evidence(kind: .day, reference: $0.description, note: "0 records") },
            action: "Export the unified audit log for \(span) (Search-UnifiedAuditLog or the Management Activity API; "
                + "at least the Exchange admin operations) and ingest it with `bypass-auditor ingest`, then run drift "
                + "again. If the tenant's retention no longer reaches that far, record the gap in the audit file.")
    }
}
