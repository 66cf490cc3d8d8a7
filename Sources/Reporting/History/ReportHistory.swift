import Core
import Drift
import Foundation
import GRDB
import Store

/// The stored report runs of each tenant: written after a report folder is in place, read for the next report's
/// "since the previous report" comparison and its twelve-period trend.
public enum ReportHistory {
    /// Stores what `report` (written to `folder`) needs to be compared with later, as a published run. Call inside a
    /// write transaction.
    public static func record(_ db: Database, _ report: Report, folder: String) throws {
        _ = try insert(db, report, folder: folder, state: .published, stored: StoredRunDetails())
    }

    /// Stores a run whose folder is rendered (in `details.staging`) but not yet in place, as `pending`: the next
    /// run finds it if this one dies before `publish`. Returns the run's row id.
    public static func recordPending(_ db: Database, _ report: Report, folder: String, details: StoredRunDetails) throws -> Int64 {
        try insert(db, report, folder: folder, state: .pending, stored: details)
    }

    private static func insert(_ db: Database, _ report: Report, folder: String, state: ReportRunState, stored: StoredRunDetails) throws -> Int64 {
        let summary = StoredReportSummary(report: report, folder: folder)
        let counts = summary.findingsBySeverity
        let runID = try ReportRunStore.insert(
            db,
            ReportRunRecord(
                reportID: summary.reportID, tenant: summary.tenant, periodLabel: summary.periodLabel,
                periodFirstDay: summary.period.firstDay, periodLastDay: summary.period.lastDay, revision: summary.revision,
                asOf: summary.asOf, generatedAt: summary.generatedAt, folder: folder, verdict: summary.verdict.rawValue,
                findingsCritical: counts.critical, findingsHigh: counts.high, findingsMedium: counts.medium,
                findingsLow: counts.low, findingsInfo: counts.info, bypassedAccounts: summary.bypassedAccounts,
                state: state, manifestSHA256: stored.manifestSHA256, location: stored.location, staging: stored.staging,
                reason: stored.reason, madeBy: stored.madeBy, replacesRevision: stored.replacesRevision,
                replacesAside: stored.replacesAside))
        try ReportRunStore.insert(
            db,
            findings: summary.findings.map {
                ReportFindingRecord(runID: runID, findingID: $0.id, kind: $0.kind.rawValue, severity: $0.severity)
            },
            accounts: summary.accounts.map {
                ReportAccountRecord(runID: runID, accountKey: $0.key, name: $0.name, status: $0.status.rawValue)
            })
        return runID
    }

    /// Marks the pending run `runID` published once its folder is in place. When it replaced a revision
    /// (`--force`), the published run of that revision in the same folder becomes `replaced`, located at
    /// `replacedLocation` (where its folder was moved).
    public static func publish(_ db: Database, runID: Int64, replacedLocation: String?, at time: Date) throws {
        guard let run = try ReportRunStore.run(db, id: runID) else { return }
        try ReportRunStore.markPublished(db, id: runID)
        guard let revision = run.replacesRevision, let location = run.location, let replacedLocation else { return }
        let replacedFolder = URL(fileURLWithPath: location).deletingLastPathComponent()
            .appendingPathComponent(ReportDestination.folderName(label: run.periodLabel, revision: revision)).path
        let candidates = try ReportRunStore.published(
            db, tenant: run.tenant, periodLabel: run.periodLabel, revision: revision, excluding: runID)
        for candidate in candidates {
            // Rows stored before locations were kept name their folder as given: compare it resolved.
            let stored = candidate.location ?? URL(fileURLWithPath: candidate.folder).standardizedFileURL.path
            guard stored == replacedFolder else { continue }
            try ReportRunStore.markReplaced(
                db, id: candidate.id, location: replacedLocation, replacedBy: run.reportID, at: time)
        }
    }

    /// Forgets the pending run `runID` (its folder never got into place, or not as rendered).
    public static func discard(_ db: Database, runID: Int64) throws {
        try ReportRunStore.discardPending(db, id: runID)
    }

    /// Every run left pending by an interrupted `report`, oldest first.
    public static func pending(_ db: Database) throws -> [PendingReportRun] {
        try ReportRunStore.pending(db).map { run in
            PendingReportRun(
                runID: run.id, reportID: run.reportID, periodLabel: run.periodLabel, revision: run.revision,
                location: run.location, staging: run.staging, manifestSHA256: run.manifestSHA256,
                replacesRevision: run.replacesRevision, replacesAside: run.replacesAside)
        }
    }

    /// The highest revision stored for `label` of `tenant` in the output folder `directory` (absolute), in any
    /// state (0 when none): a new revision there is above it even when its folder is gone from disk. Revisions are
    /// numbered per output folder, as their folder names are.
    public static func highestRevision(_ db: Database, tenant: TenantID, label: String, in directory: String) throws -> Int {
        let runs = try ReportRunStore.runs(db, tenant: tenant, periodLabel: label)
        return runs.filter { run in
            guard let location = run.location else {
                return URL(fileURLWithPath: run.folder).standardizedFileURL.deletingLastPathComponent().path == directory
            }
            // A replaced run's location is <out>/<period>.replaced/r<N>: one level deeper than the folder it had.
            var parent = URL(fileURLWithPath: location).deletingLastPathComponent()
            if run.state == .replaced { parent = parent.deletingLastPathComponent() }
            return parent.standardizedFileURL.path == directory
        }.map(\.revision).max() ?? 0
    }

    /// The report to compare a report of `period` with: the latest run of the most recent period that ended before
    /// `period` began (normally the previous month), nil when there is none.
    public static func previous(_ db: Database, tenant: TenantID, before period: ReportingPeriod) throws -> StoredReportSummary? {
        try ReportRunStore.latestPublished(db, tenant: tenant, endingBefore: period.firstDay).map { try summary(db, $0) }
    }

    /// The latest run of each of the `limit` most recent periods, oldest period first (the trend's history).
    public static func recent(_ db: Database, tenant: TenantID, limit: Int) throws -> [StoredReportSummary] {
        guard limit > 0 else { return [] }
        return try ReportRunStore.latestPublishedPerPeriod(db, tenant: tenant, limit: limit).reversed()
            .map { try summary(db, $0) }
    }

    /// Every published or replaced run of `tenant`, oldest first (for listings and tests).
    public static func all(_ db: Database, tenant: TenantID) throws -> [StoredReportSummary] {
        try ReportRunStore.publishedOrReplaced(db, tenant: tenant).map { try summary(db, $0) }
    }

    private static func summary(_ db: Database, _ run: ReportRunRecord) throws -> StoredReportSummary {
        let findings = try ReportRunStore.findings(db, runID: run.id).map { finding in
            StoredFinding(
                id: finding.findingID,
                kind: try StoredValue.decode(
                    FindingKind.self, finding.kind, table: ReportFindingRecord.databaseTableName,
                    row: "\(run.id):\(finding.findingID)", column: "kind"),
                severity: finding.severity)
        }
        let accounts = try ReportRunStore.accounts(db, runID: run.id).map { account in
            StoredAccount(
                key: account.accountKey, name: account.name,
                status: try StoredValue.decode(
                    AccountApprovalStatus.self, account.status, table: ReportAccountRecord.databaseTableName,
                    row: "\(run.id):\(account.accountKey)", column: "status"))
        }
        return StoredReportSummary(
            reportID: run.reportID, tenant: run.tenant,
            period: try ReportingPeriod(from: run.periodFirstDay, through: run.periodLastDay), revision: run.revision,
            asOf: run.asOf, generatedAt: run.generatedAt, folder: run.folder, verdict: try verdict(of: run),
            findingsBySeverity: severityCounts(of: run), bypassedAccounts: run.bypassedAccounts, findings: findings,
            accounts: accounts)
    }

    /// The run's verdict; one the tool never writes is an error naming the run.
    static func verdict(of run: ReportRunRecord) throws -> Verdict {
        try StoredValue.decode(
            Verdict.self, run.verdict, table: ReportRunRecord.databaseTableName, row: String(run.id), column: "verdict")
    }

    static func severityCounts(of run: ReportRunRecord) -> SeverityCounts {
        SeverityCounts(
            critical: run.findingsCritical, high: run.findingsHigh, medium: run.findingsMedium, low: run.findingsLow,
            info: run.findingsInfo)
    }
}

/// What a run stores besides its report summary: the folder's manifest and location, and why and by whom it ran.
public struct StoredRunDetails: Sendable, Hashable {
    public var manifestSHA256: String?
    /// The absolute path of the folder.
    public var location: String?
    /// The hidden folder the files were rendered in (pending runs only).
    public var staging: String?
    public var reason: String?
    public var madeBy: String?
    /// With `--force`: the revision withdrawn, and where its folder goes.
    public var replacesRevision: Int?
    public var replacesAside: String?

    public init(
        manifestSHA256: String? = nil, location: String? = nil, staging: String? = nil, reason: String? = nil,
        madeBy: String? = nil, replacesRevision: Int? = nil, replacesAside: String? = nil
    ) {
        self.manifestSHA256 = manifestSHA256
        self.location = location
        self.staging = staging
        self.reason = reason
        self.madeBy = madeBy
        self.replacesRevision = replacesRevision
        self.replacesAside = replacesAside
    }
}

/// A run an interrupted `report` left pending.
public struct PendingReportRun: Sendable, Hashable {
    public var runID: Int64
    public var reportID: String
    public var periodLabel: String
    public var revision: Int
    public var location: String?
    public var staging: String?
    public var manifestSHA256: String?
    public var replacesRevision: Int?
    public var replacesAside: String?
}
