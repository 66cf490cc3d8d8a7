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
            + lostWindowFindings()
    }

    /// A window `collect` could no longer fetch is a gap even when other records of those days arrived (from files
    /// or other content types): the missing content type's records, bypass changes among them, were never read.
    private func lostWindowFindings() -> [Finding] {
        guard let window = context.inputs.activityWindow else { return [] }
        return context.inputs.lostCollectionWindows.compactMap { lost in
            let start = max(lost.start, window.lowerBound)
            let end = min(lost.end, window.upperBound)
            guard start < end else { return nil }
            let span = "\(UTCTimestamp.format(start))..\(UTCTimestamp.format(end))"
            let days = UTCDay(containing: start)...UTCDay(containing: end)
            return Finding(
                id: "\(FindingKind.coverageGap.rawValue):lost:\(lost.contentType):\(span)", kind: .coverageGap,
                severity: .medium, tenant: context.tenant, account: nil, names: [], entryID: nil,
                detail: "From \(UTCTimestamp.format(start)) to \(UTCTimestamp.format(end)) the Office 365 Management "
                    + "Activity API no longer served \(lost.contentType) content when `collect` asked for it (content is "
                    + "kept for 7 days), so the records of that span were never collected and the absence of bypass "
                    + "changes in it proves nothing.",
                evidence: Array(days).map {
                    Evidence(kind: .day, reference: $0.description, note: "\(lost.contentType) not collected")
                },
                action: "Export the unified audit log for \(span) with Search-UnifiedAuditLog or a Purview audit export "
                    + "(at least the Exchange admin operations) and ingest it with `bypass-auditor ingest`, then run "
                    + "drift again.")
        }
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
