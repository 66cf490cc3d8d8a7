import Core
import Drift
import Foundation
import GRDB

/// The stored report runs of each tenant: written after a report folder is in place, read for the next report's
/// "since the previous report" comparison and its twelve-period trend.
public enum ReportHistory {
    /// Stores what `report` (written to `folder`) needs to be compared with later. Call inside a write transaction.
    public static func record(_ db: Database, _ report: Report, folder: String) throws {
        let summary = StoredReportSummary(report: report, folder: folder)
        let counts = summary.findingsBySeverity
        try db.execute(
            sql: """
                INSERT INTO report_run (report_id, tenant, period_label, period_first_day, period_last_day, revision, as_of,
                    generated_at, folder, verdict, findings_critical, findings_high, findings_medium, findings_low,
                    findings_info, bypassed_accounts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                summary.reportID, summary.tenant.rawValue, summary.periodLabel, summary.period.firstDay.description,
                summary.period.lastDay.description, summary.revision, UTCTimestamp.format(summary.asOf),
                UTCTimestamp.format(summary.generatedAt), folder, summary.verdict.rawValue, counts.critical, counts.high,
                counts.medium, counts.low, counts.info, summary.bypassedAccounts,
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
    }

    /// The report to compare a report of `period` with: the latest run of the most recent period that ended before
    /// `period` began (normally the previous month), nil when there is none.
    public static func previous(_ db: Database, tenant: TenantID, before period: ReportingPeriod) throws -> StoredReportSummary? {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT * FROM report_run WHERE tenant = ? AND period_last_day < ?
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
                SELECT * FROM report_run AS run WHERE tenant = ? AND NOT EXISTS (
                    SELECT 1 FROM report_run AS later WHERE later.tenant = run.tenant AND later.period_label = run.period_label
                        AND (later.generated_at > run.generated_at OR (later.generated_at = run.generated_at AND later.id > run.id)))
                ORDER BY period_last_day DESC, period_first_day DESC LIMIT ?
                """,
            arguments: [tenant.rawValue, limit])
        return try rows.reversed().map { try summary(db, $0) }
    }

    /// Every run of `tenant`, oldest first (for `report --json` listings and tests).
    public static func all(_ db: Database, tenant: TenantID) throws -> [StoredReportSummary] {
        try Row.fetchAll(db, sql: "SELECT * FROM report_run WHERE tenant = ? ORDER BY generated_at, id", arguments: [tenant.rawValue])
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
