import Core
import Foundation

/// `report --json`: where the run wrote and what it concluded.
public struct ReportRunDocument: Sendable, Encodable {
    public var reportID: String
    public var revision: Int
    public var tenant: TenantID
    public var period: String
    public var asOf: Date
    public var generatedAt: Date
    public var folder: String
    public var files: [String]
    public var replacedExisting: Bool
    public var verdict: Verdict
    public var verdictSentence: String
    public var findingsBySeverity: SeverityCounts
    public var controlsByStatus: ControlStatusCounts
    public var bypassedAccounts: Int
    public var accountsByStatus: AccountStatusCounts
    public var remediationCommands: Int
    public var previousReportID: String?

    public init(report: Report, folder: String, files: [String], replaced: Bool) {
        reportID = report.id
        revision = report.revision
        tenant = report.tenant
        period = report.periodLabel
        asOf = report.asOf
        generatedAt = report.generatedAt
        self.folder = folder
        self.files = files
        replacedExisting = replaced
        verdict = report.summary.verdict
        verdictSentence = report.summary.verdictSentence
        findingsBySeverity = report.summary.findingsBySeverity
        controlsByStatus = report.summary.controlsByStatus
        bypassedAccounts = report.summary.bypassedAccounts
        accountsByStatus = report.summary.accountsByStatus
        remediationCommands = report.remediation.commands.count
        previousReportID = report.comparison.previous?.reportID
    }

    enum CodingKeys: String, CodingKey {
        case reportID = "reportId"
        case revision, tenant, period, asOf, generatedAt, folder, files, replacedExisting, verdict, verdictSentence
        case findingsBySeverity, controlsByStatus, bypassedAccounts, accountsByStatus, remediationCommands
        case previousReportID = "previousReportId"
    }
}
