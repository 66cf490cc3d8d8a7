/// The report's sections, in reading order, with the anchors both HTML and Markdown use for them.
enum ReportSection: String, CaseIterable {
    case summary
    case findings
    case investigations
    case inventory
    case changes
    case alerts
    case comparison
    case allowlistHealth = "allowlist-health"
    case remediation
    case coverage
    case compliance
    case provenance

    var anchor: String { rawValue }

    var title: String {
        switch self {
        case .summary: "Summary and controls"
        case .findings: "Findings"
        case .investigations: "Blind windows and investigation"
        case .inventory: "Inventory at period end"
        case .changes: "Changes in the period"
        case .alerts: "Alerts and triage"
        case .comparison: "Since the previous report"
        case .allowlistHealth: "Allowlist health"
        case .remediation: "Remediation plan"
        case .coverage: "Data coverage"
        case .compliance: "Compliance mapping"
        case .provenance: "Evidence and provenance"
        }
    }
}

/// How much of a long list each format shows. HTML and Markdown cut every list that grows with the data and end it
/// with "N more — see <file>"; `report.json` cuts only the lists that grow with the number of bypass changes
/// (evidence, changes, alerts) and says so in `not_listed`; the CSV files carry every row.
public struct ReportRenderingLimits: Sendable, Hashable {
    /// Findings shown in full (detail, evidence, action); the rest are rows of the findings table, still anchored.
    public var detailedFindings: Int
    public var evidencePerFinding: Int
    public var changes: Int
    public var alerts: Int
    /// Investigations shown with their full checklist; the rest appear in the blind-window table only.
    public var detailedInvestigations: Int
    public var registerRows: Int
    /// `report.json`: evidence items per finding, changes and alerts listed, investigations with their checklist,
    /// blind windows per investigation (the latest), and findings with their prose (detail and action).
    public var jsonEvidencePerFinding: Int
    public var jsonChanges: Int
    public var jsonAlerts: Int
    public var jsonDetailedInvestigations: Int
    public var jsonWindowsPerInvestigation: Int
    public var jsonDetailedFindings: Int

    public init(
        detailedFindings: Int = 200, evidencePerFinding: Int = 10, changes: Int = 1_000, alerts: Int = 1_000,
        detailedInvestigations: Int = 25, registerRows: Int = 500, jsonEvidencePerFinding: Int = 25,
        jsonChanges: Int = 2_000, jsonAlerts: Int = 2_000, jsonDetailedInvestigations: Int = 25,
        jsonWindowsPerInvestigation: Int = 1, jsonDetailedFindings: Int = 200
    ) {
        self.detailedFindings = detailedFindings
        self.evidencePerFinding = evidencePerFinding
        self.changes = changes
        self.alerts = alerts
        self.detailedInvestigations = detailedInvestigations
        self.registerRows = registerRows
        self.jsonEvidencePerFinding = jsonEvidencePerFinding
        self.jsonChanges = jsonChanges
        self.jsonAlerts = jsonAlerts
        self.jsonDetailedInvestigations = jsonDetailedInvestigations
        self.jsonWindowsPerInvestigation = jsonWindowsPerInvestigation
        self.jsonDetailedFindings = jsonDetailedFindings
    }

    public static let standard = ReportRenderingLimits()

    /// Investigations whose checklist some file shows (HTML and Markdown the first `detailedInvestigations`,
    /// `report.json` the first `jsonDetailedInvestigations`): the builder writes only those.
    public var checklistsShown: Int { max(detailedInvestigations, jsonDetailedInvestigations) }
}

/// The sentence that ends a cut list, naming the file that holds all of it.
enum MoreInFile {
    static func text(_ hidden: Int, _ what: String, in file: String) -> String {
        "\(hidden) more \(what) — see \(file)."
    }

    /// The end of the checklists: those past the first are written to no file (each answers from its account's
    /// changes and findings, which the CSV files carry whole), so no file is named as holding them.
    static func checklists(_ hidden: Int) -> String {
        "\(hidden) more investigations have a checklist that is not written out: each answers from the account's "
            + "changes and findings (\(CSVReportRenderer.changesFileName), \(CSVReportRenderer.findingsFileName))."
    }
}
