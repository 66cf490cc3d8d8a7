import BypassAuditor
import Foundation

/// `report` for a person: where the report went and what it concluded.
enum ReportRunText {
    static func render(_ outcome: MonthlyReport.Outcome) -> [String] {
        let report = outcome.report
        let folder = safe(outcome.folder)
        let summary = report.summary
        let counts = Severity.descending.map { "\(summary.findingsBySeverity[$0]) \($0.rawValue)" }.joined(separator: ", ")
        let controls = ControlStatus.allCases.map { "\(summary.controlsByStatus[$0]) \($0.rawValue)" }.joined(separator: ", ")
        var lines = [
            "Wrote report \(report.id) for \(report.periodLabel) "
                + "(revision \(report.revision)) in \(folder)/",
            "  files: \(outcome.files.joined(separator: ", "))",
        ]
        if let revision = outcome.replacedRevision {
            let kept = outcome.replacedLocation.map { "kept unchanged in \(safe($0))/" } ?? "its folder was not found to keep"
            lines.append("  replaces revision \(revision), withdrawn: \(kept)")
        }
        if let reason = outcome.reason { lines.append("  reason: \(safe(reason))") }
        lines += [
            "  \(safe(summary.verdictSentence))",
            "  findings: \(counts)",
            "  controls: \(controls)",
        ]
        if !report.remediation.commands.isEmpty {
            lines.append(
                "  remediation: \(report.remediation.commands.count) bypass(es) to remove, see \(folder)/"
                    + RemediationPlan.fileName)
        }
        if let previous = report.comparison.previous {
            lines.append(
                "  since \(safe(previous.periodLabel)): \(report.comparison.newFindings.count) new, "
                    + "\(report.comparison.resolvedFindings.count) resolved, "
                    + "\(report.comparison.persistingFindings.count) persisting")
        }
        let first = ["report.html", "report.md", "report.json"].first { outcome.files.contains($0) } ?? "README.txt"
        lines += [
            "  open \(folder)/\(first) (\(folder)/README.txt says how to check the folder)",
            "  record these two values with the report; they let anyone check it later:",
            "    manifest SHA-256 (of SHA256SUMS): \(outcome.manifestDigest)",
            "    history chain head:               \(report.provenance.chainHead)",
            "  check: (cd \(folder) && sha256sum -c SHA256SUMS); bypass-auditor verify --expect-head \(report.provenance.chainHead)",
        ]
        return lines
    }

    /// Attacker-written text on a terminal: line breaks, escapes and bidi controls shown as visible markers.
    static func safe(_ text: String) -> String { DisplayText.visible(text) }
}
