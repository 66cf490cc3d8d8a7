import Core
import Drift
import Foundation

/// A finding as a stored report run remembers it.
public struct StoredFinding: Sendable, Hashable, Codable {
    public var id: String
    public var kind: FindingKind
    public var severity: Severity

    public init(id: String, kind: FindingKind, severity: Severity) {
        self.id = id
        self.kind = kind
        self.severity = severity
    }
}

/// A bypassed account as a stored report run remembers it.
public struct StoredAccount: Sendable, Hashable, Codable {
    public var key: String
    public var name: String
    public var status: AccountApprovalStatus

    public init(key: String, name: String, status: AccountApprovalStatus) {
        self.key = key
        self.name = name
        self.status = status
    }
}

/// What the database keeps of one report run: enough for the next report's comparison and trend.
public struct StoredReportSummary: Sendable, Hashable, Codable {
    public var reportID: String
    public var tenant: TenantID
    public var period: ReportingPeriod
    public var periodLabel: String
    public var revision: Int
    public var asOf: Date
    public var generatedAt: Date
    /// The folder the run wrote (as given to `ReportHistory.record`).
    public var folder: String
    public var verdict: Verdict
    public var findingsBySeverity: SeverityCounts
    public var bypassedAccounts: Int
    public var findings: [StoredFinding]
    public var accounts: [StoredAccount]

    public init(
        reportID: String, tenant: TenantID, period: ReportingPeriod, revision: Int, asOf: Date, generatedAt: Date,
        folder: String, verdict: Verdict, findingsBySeverity: SeverityCounts, bypassedAccounts: Int,
        findings: [StoredFinding], accounts: [StoredAccount]
    ) {
        self.reportID = reportID
        self.tenant = tenant
        self.period = period
        self.periodLabel = period.label
        self.revision = revision
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.folder = folder
        self.verdict = verdict
        self.findingsBySeverity = findingsBySeverity
        self.bypassedAccounts = bypassedAccounts
        self.findings = findings
        self.accounts = accounts
    }

    /// What `ReportHistory.record` stores for `report` written to `folder`.
    public init(report: Report, folder: String) {
        self.init(
            reportID: report.id, tenant: report.tenant, period: report.period, revision: report.revision,
            asOf: report.asOf, generatedAt: report.generatedAt, folder: folder, verdict: report.summary.verdict,
            findingsBySeverity: report.summary.findingsBySeverity, bypassedAccounts: report.summary.bypassedAccounts,
            findings: report.findings.map { StoredFinding(id: $0.id, kind: $0.kind, severity: $0.severity) },
            accounts: report.inventory.map { StoredAccount(key: $0.key, name: $0.displayName, status: $0.status) })
    }

    enum CodingKeys: String, CodingKey {
        case reportID
        case tenant, period, periodLabel, revision, asOf, generatedAt, folder, verdict, findingsBySeverity
        case bypassedAccounts, findings, accounts
    }
}
