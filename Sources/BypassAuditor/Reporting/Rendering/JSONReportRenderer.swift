import Foundation

/// `report.json`: the report model encoded with the shared JSON convention (snake_case keys, sorted, UTC
/// millisecond timestamps). The schema is documented in `Reports/README.md`; `schema_version` changes when a field
/// changes meaning or disappears.
///
/// It carries every finding, account, investigation and register row. The lists that grow with the number of bypass
/// changes are bounded so the file stays readable at any scale: each finding's evidence, the period's changes and
/// its alerts. `not_listed` says how much of each was left out and which CSV file has all of it.
public enum JSONReportRenderer {
    public static let fileName = "report.json"

    public static func render(_ report: Report, limits: ReportRenderingLimits = .standard) throws -> String {
        try JSONCoding.string(BoundedReportDocument(report, limits: limits)) + "\n"
    }
}

/// What `report.json` left out of its bounded lists.
struct ReportListsNotListed: Encodable, Equatable {
    struct Cut: Encodable, Equatable {
        var listed: Int
        var notListed: Int
        /// The file that carries the whole list.
        var completeIn: String
    }

    struct EvidenceCut: Encodable, Equatable {
        var findingId: String
        var listed: Int
        var notListed: Int
    }

    var changes: Cut
    var alerts: Cut
    /// Findings whose evidence was cut; all of it is in `findings.csv`.
    var evidence: [EvidenceCut]
    var evidenceCompleteIn: String
}

/// The report with its growing lists cut to `limits`, plus `not_listed`.
struct BoundedReportDocument: Encodable {
    let report: Report
    let notListed: ReportListsNotListed

    init(_ full: Report, limits: ReportRenderingLimits) {
        var report = full
        report.changes = Array(full.changes.prefix(limits.jsonChanges))
        report.alerts.items = Array(full.alerts.items.prefix(limits.jsonAlerts))
        var evidenceCuts: [ReportListsNotListed.EvidenceCut] = []
        for index in report.findings.indices where report.findings[index].evidence.count > limits.jsonEvidencePerFinding {
            let total = report.findings[index].evidence.count
            report.findings[index].evidence = Array(report.findings[index].evidence.prefix(limits.jsonEvidencePerFinding))
            evidenceCuts.append(.init(findingId: report.findings[index].id, listed: limits.jsonEvidencePerFinding, notListed: total - limits.jsonEvidencePerFinding))
        }
        self.report = report
        notListed = ReportListsNotListed(
            changes: .init(listed: report.changes.count, notListed: full.changes.count - report.changes.count, completeIn: CSVReportRenderer.changesFileName),
            alerts: .init(
                listed: report.alerts.items.count, notListed: full.alerts.items.count - report.alerts.items.count,
                completeIn: CSVReportRenderer.alertsFileName),
            evidence: evidenceCuts, evidenceCompleteIn: CSVReportRenderer.findingsFileName)
    }

    private enum Key: String, CodingKey {
        case notListed
    }

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(notListed, forKey: .notListed)
    }
}
