import BypassAuditor
import Foundation

/// `report list` for a person.
enum ReportListText {
    static func render(_ listing: ReportListing.Document) -> [String] {
        guard !listing.periods.isEmpty else { return ["No report run is stored (bypass-auditor report writes one)."] }
        var lines: [String] = []
        for period in listing.periods {
            let tenant = period.tenant.rawValue.isEmpty ? "no tenant id" : "tenant \(safe(period.tenant.rawValue))"
            let current = period.currentRevision.map { "current: revision \($0)" } ?? "no published revision"
            lines += ["", "\(safe(period.period))  (\(tenant); \(current))"]
            for revision in period.revisions {
                lines.append(
                    "  r\(revision.revision)  \(revision.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  "
                        + "generated \(UTCTimestamp.format(revision.generatedAt))  \(safe(revision.location ?? revision.folder))")
                lines.append("      manifest SHA-256: \(revision.manifestSHA256 ?? "not recorded (stored by an earlier version)")")
                if let reason = revision.reason {
                    lines.append("      reason: \(safe(reason))" + (revision.madeBy.map { " (by \(safe($0)))" } ?? ""))
                }
                if let replaced = revision.replacesRevision { lines.append("      withdrew revision \(replaced)") }
                if let by = revision.replacedBy {
                    lines.append("      withdrawn by \(safe(by))" + (revision.replacedAt.map { " at \(UTCTimestamp.format($0))" } ?? ""))
                }
                if revision.state == .pending { lines.append("      interrupted: the next report run into this folder completes it") }
                if let check = revision.check {
                    lines.append("      check: \(check.status.rawValue)" + (check.problems.isEmpty ? "" : ": " + safe(check.problems.joined(separator: "; "))))
                }
            }
        }
        return Array(lines.dropFirst())
    }

    static func safe(_ text: String) -> String { DisplayText.visible(text) }
}
