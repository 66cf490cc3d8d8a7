import Core
import Foundation

/// `report.json`: the report model encoded with the shared JSON convention (snake_case keys, sorted, UTC
/// millisecond timestamps). The schema is documented in `Reports/README.md`; `schema_version` changes when a field
/// changes meaning or disappears.
///
/// It carries every finding, account, investigation and register row. The lists that grow with the number of bypass
/// changes are bounded so the file stays readable at any scale: each finding's evidence, the period's changes and
/// its alerts, each investigation's blind windows (the latest ones), the checklists past the first few
/// investigations (every investigation keeps its account, reason, findings and latest windows), and the prose of
/// the findings past the first few (every finding keeps its id, kind, severity, account, evidence and references;
/// its `detail` and `action` sentences, about half its size, are in `findings.csv`). `not_listed` says how much of
/// each was left out and which file has all of it.
///
/// Compact (one line, keys sorted): at scale, indentation alone would add a quarter to the file.
public enum JSONReportRenderer {
    public static let fileName = "report.json"

    public static func render(_ report: Report, limits: ReportRenderingLimits = .standard) throws -> String {
        try JSONCoding.string(BoundedReportDocument(report, limits: limits), pretty: false) + "\n"
    }

    /// Writes `render`'s text into `sink` from the bytes the encoder made: at scale the document is 19 MB, and a
    /// `String` or `Data` of it, or one with the newline appended, was another copy held beside it.
    public static func write(_ report: Report, limits: ReportRenderingLimits = .standard, to sink: inout ReportFileSink) throws {
        try JSONCoding.write(BoundedReportDocument(report, limits: limits), pretty: false) { sink.write(bytes: $0) }
        sink.write("\n")
    }
}

/// What `report.json` left out of its bounded lists.
struct ReportListsNotListed: Encodable, Equatable {
    struct Cut: Encodable, Equatable {
        var listed: Int
        var notListed: Int
        /// The file that carries the whole list (none for checklists past the first: each is derived from the
        /// account's changes and findings, which `changes.csv` and `findings.csv` carry whole).
        var completeIn: String?
    }

    struct EvidenceCut: Encodable, Equatable {
        var findingId: String
        var listed: Int
        var notListed: Int
    }

    struct WindowCut: Encodable, Equatable {
        var accountKey: String
        var listed: Int
        var notListed: Int
    }

    var changes: Cut
    var alerts: Cut
    /// Findings listed without their `detail` and `action` (HTML and Markdown show the same first ones in full).
    var findingDetails: Cut
    /// Investigations listed without their checklist (HTML and Markdown show the same first ones in full).
    var checklists: Cut
    /// Investigations whose earlier blind windows were left out (every change that opened or closed one is in
    /// `changes.csv`).
    var windows: [WindowCut]
    /// Findings whose evidence was cut; all of it is in `findings.csv`.
    var evidence: [EvidenceCut]
    var evidenceCompleteIn: String
}

/// The report with its growing lists cut to `limits`, plus `not_listed`.
struct BoundedReportDocument: Encodable {
    let report: Report
    let notListed: ReportListsNotListed
    /// How many of the findings (the most severe first) keep their prose.
    let detailedFindings: Int

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
        var windowCuts: [ReportListsNotListed.WindowCut] = []
        for index in report.investigations.indices {
            if index >= limits.jsonDetailedInvestigations { report.investigations[index].checklist = [] }
            let windows = report.investigations[index].windows
            if windows.count > limits.jsonWindowsPerInvestigation {
                report.investigations[index].windows = Array(windows.suffix(limits.jsonWindowsPerInvestigation))
                windowCuts.append(
                    .init(accountKey: report.investigations[index].accountKey, listed: limits.jsonWindowsPerInvestigation,
                        notListed: windows.count - limits.jsonWindowsPerInvestigation))
            }
        }
        let detailed = min(limits.jsonDetailedInvestigations, report.investigations.count)
        detailedFindings = min(limits.jsonDetailedFindings, report.findings.count)
        self.report = report
        notListed = ReportListsNotListed(
            changes: .init(listed: report.changes.count, notListed: full.changes.count - report.changes.count, completeIn: CSVReportRenderer.changesFileName),
            alerts: .init(
                listed: report.alerts.items.count, notListed: full.alerts.items.count - report.alerts.items.count,
                completeIn: CSVReportRenderer.alertsFileName),
            findingDetails: .init(
                listed: detailedFindings, notListed: report.findings.count - detailedFindings,
                completeIn: CSVReportRenderer.findingsFileName),
            checklists: .init(listed: detailed, notListed: report.investigations.count - detailed, completeIn: nil),
            windows: windowCuts, evidence: evidenceCuts, evidenceCompleteIn: CSVReportRenderer.findingsFileName)
    }

    private enum Key: String, CodingKey {
        case findings, notListed
    }

    /// The report's own encoding, with `findings` written here: past the first `detailedFindings`, without prose.
    func encode(to encoder: Encoder) throws {
        var rest = report
        rest.findings = []
        try rest.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        let findings = report.findings.enumerated().map { BoundedFinding(finding: $1, withProse: $0 < detailedFindings) }
        try container.encode(findings, forKey: .findings)
        try container.encode(notListed, forKey: .notListed)
    }
}

/// One finding of `report.json`: whole, or without its `detail` and `action` (both left out, never empty). Encoded on
/// two threads, as whole findings are: the findings are the longest list of the file.
private struct BoundedFinding: JSONConcurrentlyEncodable {
    let finding: ReportFinding
    let withProse: Bool

    /// The finding's own keys and encoding, less the two sentences.
    func encode(to encoder: Encoder) throws {
        if withProse { return try finding.encode(to: encoder) }
        var container = encoder.container(keyedBy: ReportFinding.CodingKeys.self)
        try container.encode(finding.id, forKey: .id)
        try container.encode(finding.anchor, forKey: .anchor)
        try container.encode(finding.kind, forKey: .kind)
        try container.encode(finding.title, forKey: .title)
        try container.encode(finding.severity, forKey: .severity)
        try container.encodeIfPresent(finding.accountKey, forKey: .accountKey)
        try container.encodeIfPresent(finding.account, forKey: .account)
        try container.encode(finding.names, forKey: .names)
        try container.encodeIfPresent(finding.entryID, forKey: .entryID)
        try container.encode(finding.evidence, forKey: .evidence)
        try container.encode(finding.references, forKey: .references)
        try container.encode(finding.controls, forKey: .controls)
        try container.encodeIfPresent(finding.sinceLastReport, forKey: .sinceLastReport)
    }
}
