import Core
import Drift
import Foundation
import GRDB

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
        try db.execute(
            sql: """
                INSERT INTO report_run (report_id, tenant, period_label, period_first_day, period_last_day, revision, as_of,
                    generated_at, folder, verdict, findings_critical, findings_high, findings_medium, findings_low,
                    findings_info, bypassed_accounts, state, manifest_sha256, location, staging, reason, made_by,
                    replaces_revision, replaces_aside)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                summary.reportID, summary.tenant.rawValue, summary.periodLabel, summary.period.firstDay.description,
                summary.period.lastDay.description, summary.revision, UTCTimestamp.format(summary.asOf),
                UTCTimestamp.format(summary.generatedAt), folder, summary.verdict.rawValue, counts.critical, counts.high,
                counts.medium, counts.low, counts.info, summary.bypassedAccounts, state.rawValue, stored.manifestSHA256,
                stored.location, stored.staging, stored.reason, stored.madeBy, stored.replacesRevision, stored.replacesAside,
            ])
        let runID = db.lastInsertedRowID
        let findingStatement = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO report_finding (run_id, finding_id, kind, severity) VALUES (?, ?, ?, ?)")
        for finding in summary.findings {
            try findingStatement.execute(arguments: [runID, finding.id, finding.kind.rawValue, finding.severity.rawValue])
        }
        let accountStatement = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO report_account (run_id, account_key, name, status) VALUES (?, ?, ?, ?)")
        for account in summary.accounts {
            try accountStatement.execute(arguments: [runID, account.key, account.name, account.status.rawValue])
        }
        return runID
    }

    /// Marks the pending run `runID` published once its folder is in place. When it replaced a revision
    /// (`--force`), the published run of that revision in the same folder becomes `replaced`, located at
    /// `replacedLocation` (where its folder was moved).
    public static func publish(_ db: Database, runID: Int64, replacedLocation: String?, at time: Date) throws {
        guard let run = try Row.fetchOne(db, sql: "SELECT * FROM report_run WHERE id = ?", arguments: [runID]) else { return }
        try db.execute(sql: "UPDATE report_run SET state = ?, staging = NULL WHERE id = ?", arguments: [ReportRunState.published.rawValue, runID])
        guard let revision = run["replaces_revision"] as Int?, let location = run["location"] as String?, let replacedLocation else { return }
        let replacedFolder = URL(fileURLWithPath: location).deletingLastPathComponent()
            .appendingPathComponent(ReportDestination.folderName(label: run["period_label"] as String, revision: revision)).path
        let candidates = try Row.fetchAll(
            db, sql: "SELECT id, folder, location FROM report_run WHERE tenant = ? AND period_label = ? AND revision = ? AND state = ? AND id != ?",
            arguments: [run["tenant"] as String, run["period_label"] as String, revision, ReportRunState.published.rawValue, runID])
        for candidate in candidates {
            // Rows stored before locations were kept name their folder as given: compare it resolved.
            let stored = (candidate["location"] as String?) ?? URL(fileURLWithPath: candidate["folder"] as String).standardizedFileURL.path
            guard stored == replacedFolder else { continue }
            try db.execute(
                sql: "UPDATE report_run SET state = ?, location = ?, replaced_by = ?, replaced_at = ? WHERE id = ?",
                arguments: [
                    ReportRunState.replaced.rawValue, replacedLocation, run["report_id"] as String, UTCTimestamp.format(time),
                    candidate["id"] as Int64,
                ])
        }
    }

    /// Forgets the pending run `runID` (its folder never got into place, or not as rendered).
    public static func discard(_ db: Database, runID: Int64) throws {
        try db.execute(sql: "DELETE FROM report_run WHERE id = ? AND state = ?", arguments: [runID, ReportRunState.pending.rawValue])
    }

    /// Every run left pending by an interrupted `report`, oldest first.
    public static func pending(_ db: Database) throws -> [PendingReportRun] {
        try Row.fetchAll(db, sql: "SELECT * FROM report_run WHERE state = ? ORDER BY id", arguments: [ReportRunState.pending.rawValue])
            .map { row in
                PendingReportRun(
                    runID: row["id"], reportID: row["report_id"], periodLabel: row["period_label"], revision: row["revision"],
                    location: row["location"], staging: row["staging"], manifestSHA256: row["manifest_sha256"],
                    replacesRevision: row["replaces_revision"], replacesAside: row["replaces_aside"])
            }
    }

    /// The highest revision stored for `label` of `tenant` in the output folder `directory` (absolute), in any
    /// state (0 when none): a new revision there is above it even when its folder is gone from disk. Revisions are
    /// numbered per output folder, as their folder names are.
    public static func highestRevision(_ db: Database, tenant: TenantID, label: String, in directory: String) throws -> Int {
        let rows = try Row.fetchAll(
            db, sql: "SELECT revision, folder, location, state FROM report_run WHERE tenant = ? AND period_label = ?",
            arguments: [tenant.rawValue, label])
        return rows.filter { row in
            guard let location = row["location"] as String? else {
                return URL(fileURLWithPath: row["folder"] as String).standardizedFileURL.deletingLastPathComponent().path == directory
            }
            // A replaced run's location is <out>/<period>.replaced/r<N>: one level deeper than the folder it had.
            var parent = URL(fileURLWithPath: location).deletingLastPathComponent()
            if (row["state"] as String) == ReportRunState.replaced.rawValue { parent = parent.deletingLastPathComponent() }
            return parent.standardizedFileURL.path == directory
        }.map { $0["revision"] as Int }.max() ?? 0
    }

    /// The report to compare a report of `period` with: the latest run of the most recent period that ended before
    /// `period` began (normally the previous month), nil when there is none.
    public static func previous(_ db: Database, tenant: TenantID, before period: ReportingPeriod) throws -> StoredReportSummary? {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT * FROM report_run WHERE tenant = ? AND period_last_day < ? AND state = 'published'
                ORDER BY period_last_day DESC, generated_at DESC, id DESC LIMIT 1
                """,
            arguments: [tenant.rawValue, period.firstDay.description])
        return try row.map { try summary(db, $0) }
    }

    /// The latest run of each of the `limit` most recent periods, oldest period first (the trend's history).
    public static func recent(_ db: Database, tenant: TenantID, limit: Int) throws -> [StoredReportSummary] {
        guard limit > 0 else { return [] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM report_run AS run WHERE tenant = ? AND state = 'published' AND NOT EXISTS (
                    SELECT 1 FROM report_run AS later WHERE later.tenant = run.tenant AND later.period_label = run.period_label
                        AND later.state = 'published' AND (later.generated_at > run.generated_at OR (later.generated_at = run.generated_at AND later.id > run.id)))
                ORDER BY period_last_day DESC, period_first_day DESC LIMIT ?
                """,
            arguments: [tenant.rawValue, limit])
        return try rows.reversed().map { try summary(db, $0) }
    }

    /// Every published or replaced run of `tenant`, oldest first (for listings and tests).
    public static func all(_ db: Database, tenant: TenantID) throws -> [StoredReportSummary] {
        try Row.fetchAll(db, sql: "SELECT * FROM report_run WHERE tenant = ? AND state != 'pending' ORDER BY generated_at, id", arguments: [tenant.rawValue])
            .map { try summary(db, $0) }
    }

    private static func summary(_ db: Database, _ row: Row) throws -> StoredReportSummary {
        let runID: Int64 = row["id"]
        let label: String = row["period_label"]
        guard let first = UTCDay(row["period_first_day"] as String), let last = UTCDay(row["period_last_day"] as String),
            let asOf = UTCTimestamp.parse(row["as_of"]), let generatedAt = UTCTimestamp.parse(row["generated_at"])
        else { throw ReportHistoryError.corruptRun(runID: runID, period: label) }
        let period = try ReportingPeriod(from: first, through: last)
        let findings = try Row.fetchAll(
            db, sql: "SELECT finding_id, kind, severity FROM report_finding WHERE run_id = ? ORDER BY finding_id", arguments: [runID]
        ).compactMap { row -> StoredFinding? in
            guard let kind = FindingKind(rawValue: row["kind"]), let severity = Severity(rawValue: row["severity"]) else { return nil }
            return StoredFinding(id: row["finding_id"], kind: kind, severity: severity)
        }
        let accounts = try Row.fetchAll(
            db, sql: "SELECT account_key, name, status FROM report_account WHERE run_id = ? ORDER BY account_key", arguments: [runID]
        ).compactMap { row -> StoredAccount? in
            guard let status = AccountApprovalStatus(rawValue: row["status"]) else { return nil }
            return StoredAccount(key: row["account_key"], name: row["name"], status: status)
        }
        return StoredReportSummary(
            reportID: row["report_id"], tenant: TenantID(row["tenant"] as String), period: period, revision: row["revision"],
            asOf: asOf, generatedAt: generatedAt, folder: row["folder"],
            verdict: Verdict(rawValue: row["verdict"]) ?? .actionRequired,
            findingsBySeverity: SeverityCounts(
                critical: row["findings_critical"], high: row["findings_high"], medium: row["findings_medium"],
                low: row["findings_low"], info: row["findings_info"]),
            bypassedAccounts: row["bypassed_accounts"], findings: findings, accounts: accounts)
    }
}

public enum ReportHistoryError: Error, CustomStringConvertible {
    case corruptRun(runID: Int64, period: String)

    public var description: String {
        switch self {
        case .corruptRun(let runID, let period): "stored report run \(runID) (\(period)) has an unreadable date"
        }
    }
}

/// Where a stored run is in its life cycle.
public enum ReportRunState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rendered and stored, its folder not yet (known to be) in place: only an interrupted run leaves one.
    case pending
    /// Its folder is in place: the report as published.
    case published
    /// Withdrawn by a later `report --force`; its folder was moved aside, kept as it was.
    case replaced
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
