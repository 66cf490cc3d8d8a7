import Core
import Detection
import Drift
import Inventory
import Policy
import Foundation

/// Where the report's judgments came from, for its provenance section.
public struct ReportSources: Sendable, Hashable {
    public var toolVersion: String
    /// SHA-256 of each rule file used, by path.
    public var ruleFileDigests: [String: String]
    public var ruleSetDigest: String
    /// The rule-set digests of the detection runs that evaluated the period's events (what actually raised the
    /// alerts); they differ from `ruleSetDigest` when the rules changed since.
    public var detectionRuleSetDigests: [String]
    /// SHA-256 of the register file; empty means "take it from `Allowlist.sha256`".
    public var allowlistSHA256: String
    /// The history hash chain's head when the report was built (`Ledger.head`).
    public var chainHead: String
    /// Why the history hash chain did not verify when the report was built (only with `--allow-unverified`; a
    /// report is otherwise refused); empty when it verified. A non-empty list opens the verdict sentence.
    public var chainProblems: [String]
    /// What else the database holds beside the reported tenant (`TenantChoice.notes`): closes the verdict sentence,
    /// so records without a tenant or of another tenant are never left out in silence.
    public var tenantNotes: [String]

    public init(
        toolVersion: String = BypassAuditorVersion.current, ruleFileDigests: [String: String], ruleSetDigest: String,
        detectionRuleSetDigests: [String] = [], allowlistSHA256: String = "", chainHead: String, chainProblems: [String] = [],
        tenantNotes: [String] = []
    ) {
        self.chainProblems = chainProblems
        self.tenantNotes = tenantNotes
        self.toolVersion = toolVersion
        self.ruleFileDigests = ruleFileDigests
        self.ruleSetDigest = ruleSetDigest
        self.detectionRuleSetDigests = detectionRuleSetDigests
        self.allowlistSHA256 = allowlistSHA256
        self.chainHead = chainHead
    }
}

/// Everything `ReportBuilder.build(_:)` needs: the stored facts of one tenant and period, already gathered.
///
/// The builder reads nothing else (no clock, no database, no files), so the same inputs always give the same report.
public struct ReportInputs: Sendable {
    public var period: ReportingPeriod
    /// The moment judged at: the period's end, or the generation time when the period has not ended yet.
    public var asOf: Date
    public var generatedAt: Date
    public var tenant: TenantID
    /// 1 for the first report of the period; the writer picks the next free revision for a rerun.
    public var revision: Int
    /// Makes the report id unique per run even when two runs share a tenant, period, revision and clock (a `--force`
    /// rerun, or a second output folder); the command passes a fresh UUID, tests a fixed value.
    public var runNonce: String
    public var drift: DriftResult
    /// The inventory at as-of.
    public var inventory: InventoryView
    /// Alerts whose event falls in the period, with their triage.
    public var alerts: [Alert]
    public var allowlist: Allowlist
    /// Edit-log records (`allowlist add|renew|remove`); the builder keeps those in the period.
    public var edits: [AllowlistEdit]
    /// Differences between stored register versions; the builder keeps those first seen in the period.
    public var versionChanges: [AllowlistVersionChange]
    /// Audit records per UTC day (days absent or 0 have no data).
    public var coverage: [UTCDay: Int]
    /// The report to compare with (`ReportHistory.previous`), nil for the first one.
    public var previous: StoredReportSummary?
    /// Earlier stored reports for the trend (`ReportHistory.recent`); runs of this same period are ignored.
    public var history: [StoredReportSummary]
    public var sources: ReportSources

    public init(
        period: ReportingPeriod, asOf: Date, generatedAt: Date, tenant: TenantID, revision: Int = 1, runNonce: String = "",
        drift: DriftResult, inventory: InventoryView, alerts: [Alert], allowlist: Allowlist, edits: [AllowlistEdit],
        versionChanges: [AllowlistVersionChange], coverage: [UTCDay: Int], previous: StoredReportSummary?,
        history: [StoredReportSummary], sources: ReportSources
    ) {
        self.period = period
        self.asOf = asOf
        self.generatedAt = generatedAt
        self.tenant = tenant
        self.revision = revision
        self.runNonce = runNonce
        self.drift = drift
        self.inventory = inventory
        self.alerts = alerts
        self.allowlist = allowlist
        self.edits = edits
        self.versionChanges = versionChanges
        self.coverage = coverage
        self.previous = previous
        self.history = history
        self.sources = sources
    }
}
