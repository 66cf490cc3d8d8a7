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
    /// SHA-256 of the folder's `SHA256SUMS`: record it to check the folder later.
    public var manifestSHA256: String
    /// The head of the history hash chain the report rests on: `verify --expect-head` checks a later database.
    public var chainHead: String
    /// Why the run was made (`--reason`).
    public var reason: String?
    /// With `--force`: the revision withdrawn and where its folder is kept.
    public var replacedRevision: Int?
    public var replacedFolder: String?

    public init(
        report: Report, folder: String, files: [String], replaced: Bool, manifestSHA256: String, reason: String? = nil,
        replacedRevision: Int? = nil, replacedFolder: String? = nil
    ) {
        self.manifestSHA256 = manifestSHA256
        chainHead = report.provenance.chainHead
        self.reason = reason
        self.replacedRevision = replacedRevision
        self.replacedFolder = replacedFolder
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
        case manifestSHA256
        case chainHead, reason, replacedRevision, replacedFolder
    }
}
