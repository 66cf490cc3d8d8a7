import Core
import Foundation

/// The monthly drift report: one model that every format (JSON, Markdown, HTML, CSV, the remediation script)
/// renders, so all of them carry the same ids, statuses and counts.
///
/// Built by `ReportBuilder.build(_:)` from stored facts; it holds text written by whoever touched the tenant
/// (account names, actors, parameters), so renderers must escape every string they did not write themselves.
/// The JSON form (`report.json`) is this structure encoded with `JSONCoding`; its schema is documented in
/// `Reports/README.md` and versioned by `schemaVersion`.
public struct Report: Sendable, Hashable, Codable {
    /// Bumped whenever a field changes meaning or disappears (adding fields keeps the version).
    /// 2: findings past the first 200 carry no `detail` and `action` (counted in `not_listed.finding_details`);
    /// version 1 carried them on every finding.
    public static let currentSchemaVersion = 2

    public var schemaVersion: Int
    /// Unique per run: `BA-<period>-r<revision>-<8 hex>`, printed in every format and in the stored run.
    public var id: String
    /// 1 for the first report of a period, 2 for the first rerun, and so on (never overwritten silently).
    public var revision: Int
    public var tenant: TenantID
    public var period: ReportingPeriod
    /// `2026-10`, or `2026-10-01..2026-10-15` for an explicit range: also the report folder's name.
    public var periodLabel: String
    /// The moment the inventory and the register are judged at (the end of the period, or now if earlier).
    public var asOf: Date
    public var generatedAt: Date
    public var summary: ReportSummary
    /// Every account bypassed at as-of.
    public var inventory: [ReportAccount]
    /// Bypass changes and failed attempts inside the period, oldest first.
    public var changes: [ReportChange]
    /// Drift's findings, most severe first.
    public var findings: [ReportFinding]
    /// One per account that was bypassed without a valid approval: blind window and the seed's checklist.
    public var investigations: [Investigation]
    public var alerts: ReportAlerts
    public var comparison: ReportComparison
    /// Up to twelve periods, oldest first, the last one being this report.
    public var trend: [TrendPoint]
    public var allowlistHealth: AllowlistHealth
    public var remediation: RemediationPlan
    public var coverage: DataCoverage
    public var compliance: [ComplianceMapping]
    public var provenance: ReportProvenance

    public init(
        schemaVersion: Int = Report.currentSchemaVersion, id: String, revision: Int, tenant: TenantID,
        period: ReportingPeriod, asOf: Date, generatedAt: Date, summary: ReportSummary, inventory: [ReportAccount],
        changes: [ReportChange], findings: [ReportFinding], investigations: [Investigation], alerts: ReportAlerts,
        comparison: ReportComparison, trend: [TrendPoint], allowlistHealth: AllowlistHealth,
        remediation: RemediationPlan, coverage: DataCoverage, compliance: [ComplianceMapping],
        provenance: ReportProvenance
    ) {
        self.schemaVersion = schemaVersion
        self.id = id
        self.revision = revision
        self.tenant = tenant
        self.period = period
        self.periodLabel = period.label
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.summary = summary
        self.inventory = inventory
        self.changes = changes
        self.findings = findings
        self.investigations = investigations
        self.alerts = alerts
        self.comparison = comparison
        self.trend = trend
        self.allowlistHealth = allowlistHealth
        self.remediation = remediation
        self.coverage = coverage
        self.compliance = compliance
        self.provenance = provenance
    }

    /// The UTC day the report judges at.
    public var asOfDay: UTCDay { UTCDay(containing: asOf) }
}
