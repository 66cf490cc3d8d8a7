import Core
import Detection
import Foundation
import Inventory
import Policy

/// Turns the gathered facts of one tenant and period into the report model.
///
/// Pure: it reads only its inputs (no clock, database or files), so the same inputs always give the same report
/// and every section can be tested with hand-built values.
public enum ReportBuilder {
    /// `checklists`: how many investigations get their checklist (`ReportRenderingLimits.checklistsShown` of the
    /// limits the files are rendered with).
    public static func build(
        _ inputs: consuming ReportInputs, checklists: Int = ReportRenderingLimits.standard.checklistsShown
    ) -> Report {
        // The alerts become the report's rows first and are let go before anything else is built: a month's alerts
        // and their rows were 80 MB of a report's peak side by side at 200,000 alerts.
        let alerts = alertRows(inputs.alerts)
        inputs.alerts = []
        let changes = changeRows(inputs)
        return build(inputs, alerts: alerts, changes: changes, checklists: checklists)
    }

    /// The report's alerts (`ReportAlerts`) from the period's alerts, oldest event first, with their triage: what
    /// `build(_:checklists:)` makes first. A caller may make them itself, let the alerts go and write their table
    /// while the rest is built (`RenderedAhead`), then build with them (`build(_:alerts:changes:checklists:)`).
    public static func alertRows(_ alerts: [Alert]) -> ReportAlerts {
        ReportAlerts(items: ReportContext.alertRows(alerts))
    }

    /// Every enable, removal, re-enable, failed attempt and unreadable record of the period as the report's rows,
    /// oldest first: they need nothing drift judged, so a caller may make them, write their table while the rest is
    /// built (`RenderedAhead`), then build with them (`build(_:alerts:changes:checklists:)`).
    public static func changeRows(_ inputs: ReportInputs) -> [ReportChange] {
        changeRows(inventory: inputs.inventory, period: inputs.period, asOf: inputs.asOf, allowlist: inputs.allowlist)
    }

    /// `changeRows(_:)` from the facts it reads, before there is a drift result to make `ReportInputs` with.
    public static func changeRows(inventory: InventoryView, period: ReportingPeriod, asOf: Date, allowlist: Allowlist)
        -> [ReportChange]
    {
        ReportChangeRows(inventory: inventory, scope: ReportScope(period: period, asOf: asOf, allowlist: allowlist)).rows()
    }

    /// `build(_:checklists:)` with the alerts and the period's changes already made rows (`alertRows`, `changeRows` of
    /// the same inputs); `inputs.alerts` is not read.
    public static func build(
        _ inputs: consuming ReportInputs, alerts: ReportAlerts, changes: [ReportChange],
        checklists: Int = ReportRenderingLimits.standard.checklistsShown
    ) -> Report {
        inputs.alerts = []
        let context = ReportContext(copy inputs)
        let accounts = context.inventoryRows()
        let controls = context.controls()
        let findings = context.findings(controlsByFinding: controls.byFinding)
        let investigations = context.investigations(rows: accounts, alerts: alerts.items, checklists: checklists)
        let coverage = context.coverage()
        let comparison = context.comparison(findings: findings, accounts: accounts)
        let newIDs = Set(comparison.newFindings.map(\.id))
        let findingsWithTrend = findings.map { finding -> ReportFinding in
            var finding = finding
            if comparison.previous != nil { finding.sinceLastReport = newIDs.contains(finding.id) ? .new : .persisting }
            return finding
        }
        let violations = accounts.filter { $0.status.isViolation }
        // Counted, not filtered: a filtered copy of the enables was 31 MB of the report's peak at 200,000 changes. By
        // index, in one pass: a `for` loop copied each change whole to read two fields.
        var changeCounts = ChangeCounts(counting: [])
        var enables = 0
        var unauthorizedEnables = 0
        for index in changes.indices {
            let kind = changes[index].kind
            changeCounts.count(kind)
            guard kind == .enabled || kind == .reenabled else { continue }
            enables += 1
            if changes[index].actorAuthorized == false { unauthorizedEnables += 1 }
        }
        let compliance = ComplianceCatalog.mappings(
            .init(
                findings: findingsWithTrend, controls: controls.rows, violations: violations,
                enablesInPeriod: enables, unauthorizedEnablesInPeriod: unauthorizedEnables,
                daysWithoutData: coverage.daysWithoutData))

        let severityCounts = SeverityCounts(counting: findingsWithTrend.map(\.severity))
        let controlCounts = ControlStatusCounts(counting: controls.rows.map(\.status))
        let accountCounts = AccountStatusCounts(counting: accounts.map(\.status))
        let verdict = VerdictSentence.verdict(findings: severityCounts, controls: controlCounts, accounts: accountCounts)
        let summary = ReportSummary(
            verdict: verdict,
            verdictSentence: VerdictSentence.unverifiedWarning(inputs.sources.chainProblems)
                + VerdictSentence.sentence(
                    verdict: verdict, asOfDay: context.asOfDay, findings: severityCounts, controls: controlCounts,
                    accounts: accountCounts, daysWithoutData: coverage.daysWithoutData)
                + inputs.sources.tenantNotes.map { " Other tenant data: " + $0 }.joined(),
            findingsBySeverity: severityCounts, controls: controls.rows, controlsByStatus: controlCounts,
            bypassedAccounts: accounts.count, accountsByStatus: accountCounts,
            changesInPeriod: changeCounts, alertsInPeriod: alerts.total,
            openAlerts: alerts.open, daysWithoutData: coverage.daysWithoutData)

        let id = reportID(inputs)
        let trend = context.trend(reportID: id, summary: summary)
        let sources = inputs.sources
        let provenance = ReportProvenance(
            reportID: id, revision: inputs.revision, toolVersion: sources.toolVersion, generatedAt: inputs.generatedAt,
            ruleFiles: sources.ruleFileDigests.map { FileDigest(path: $0.key, sha256: $0.value) }.sorted { $0.path < $1.path },
            ruleSetDigest: sources.ruleSetDigest, detectionRuleSetDigests: Array(Set(sources.detectionRuleSetDigests)).sorted(),
            allowlistPath: inputs.allowlist.path,
            allowlistSHA256: sources.allowlistSHA256.isEmpty ? inputs.allowlist.sha256 : sources.allowlistSHA256,
            chainHead: sources.chainHead)

        return Report(
            id: id, revision: inputs.revision, tenant: inputs.tenant, period: inputs.period, asOf: inputs.asOf,
            generatedAt: inputs.generatedAt, summary: summary, inventory: accounts, changes: changes,
            findings: findingsWithTrend, investigations: investigations, alerts: alerts, comparison: comparison,
            trend: trend, allowlistHealth: context.allowlistHealth(), remediation: context.remediationPlan(rows: accounts),
            coverage: coverage, compliance: compliance, provenance: provenance)
    }

    /// `BA-<period>-r<revision>-<8 hex>`: readable, and unique per tenant, period, revision, generation time and run.
    static func reportID(_ inputs: ReportInputs) -> String {
        let seed = "\(inputs.tenant.rawValue)|\(inputs.period.label)|\(inputs.revision)|\(UTCTimestamp.format(inputs.generatedAt))|\(inputs.runNonce)"
        return "BA-\(inputs.period.label)-r\(inputs.revision)-\(SHA256Digest.hex(of: seed).prefix(8))"
    }
}
