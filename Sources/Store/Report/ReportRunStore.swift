import Core
import Foundation
import GRDB

/// Stored report runs (`report_run`) with the findings and accounts each had (`report_finding`,
/// `report_account`): written as a run's folder is put in place, read for the next report's comparison and trend
/// and for `report list`.
package enum ReportRunStore {
    private typealias Run = ReportRunRecord.Columns

    /// Stores `run` and returns its row id.
    package static func insert(_ db: Database, _ run: ReportRunRecord) throws -> Int64 {
        var run = run
        try run.insert(db)
        return run.id
    }

    /// Stores a run's findings and accounts; a finding id or account key a run already has is stored once.
    package static func insert(_ db: Database, findings: [ReportFindingRecord], accounts: [ReportAccountRecord]) throws {
        // One prepared statement each, bound by position: a report at scale stores 9,050 findings and 5,000
        // accounts, and a record's `insert` assembled a keyed container per row (90 ms after the files were written).
        // `OR IGNORE`: the records' conflict policy (a run stores each finding id and account key once).
        let insertFinding = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO \(ReportFindingRecord.databaseTableName) (run_id, finding_id, kind, severity) VALUES (?, ?, ?, ?)")
        for finding in findings {
            try insertFinding.execute(arguments: [finding.runID, finding.findingID, finding.kind, finding.severity.rawValue])
        }
        let insertAccount = try db.makeStatement(
            sql: "INSERT OR IGNORE INTO \(ReportAccountRecord.databaseTableName) (run_id, account_key, name, status) VALUES (?, ?, ?, ?)")
        for account in accounts {
            try insertAccount.execute(arguments: [account.runID, account.accountKey, account.name, account.status])
        }
    }

    /// Run `id`, nil when there is none.
    package static func run(_ db: Database, id: Int64) throws -> ReportRunRecord? {
        try ReportRunRecord.fetchOne(db, key: id)
    }

    /// Marks run `id` published (its staging folder is gone: the folder is in place).
    package static func markPublished(_ db: Database, id: Int64) throws {
        try ReportRunRecord.filter(key: id)
            .updateAll(db, Run.state.set(to: ReportRunState.published.rawValue), Run.staging.set(to: nil))
    }

    /// Marks run `id` replaced by the run with report id `replacedBy` at `time`, its folder now at `location`.
    package static func markReplaced(_ db: Database, id: Int64, location: String, replacedBy: String, at time: Date) throws {
        try ReportRunRecord.filter(key: id).updateAll(
            db, Run.state.set(to: ReportRunState.replaced.rawValue), Run.location.set(to: location),
            Run.replacedBy.set(to: replacedBy), Run.replacedAt.set(to: StoredTime.text(time)))
    }

    /// Deletes run `id` when it is still pending (its findings and accounts go with it).
    package static func discardPending(_ db: Database, id: Int64) throws {
        try ReportRunRecord.filter(key: id).filter(Run.state == ReportRunState.pending.rawValue).deleteAll(db)
    }

    /// Every pending run, oldest first.
    package static func pending(_ db: Database) throws -> [ReportRunRecord] {
        try ReportRunRecord.filter(Run.state == ReportRunState.pending.rawValue).order(Run.id).fetchAll(db)
    }

    /// The published runs of revision `revision` of `periodLabel` of `tenant`, other than run `excluded`.
    package static func published(
        _ db: Database, tenant: TenantID, periodLabel: String, revision: Int, excluding excluded: Int64
    ) throws -> [ReportRunRecord] {
        try ReportRunRecord.filter(
            Run.tenant == tenant.rawValue && Run.periodLabel == periodLabel && Run.revision == revision
                && Run.state == ReportRunState.published.rawValue && Run.id != excluded
        ).order(Run.id).fetchAll(db)
    }

    /// Runs in every state, narrowed to `tenant` and period `periodLabel` when given, by tenant, period (oldest
    /// first), revision and id.
    package static func runs(_ db: Database, tenant: TenantID? = nil, periodLabel: String? = nil) throws
        -> [ReportRunRecord]
    {
        var request = ReportRunRecord.all()
        if let tenant { request = request.filter(Run.tenant == tenant.rawValue) }
        if let periodLabel { request = request.filter(Run.periodLabel == periodLabel) }
        return try request.order(
            Run.tenant, Run.periodFirstDay, Run.periodLastDay, Run.periodLabel, Run.revision, Run.id
        ).fetchAll(db)
    }

    /// Every published or replaced run of `tenant`, oldest first by generation time.
    package static func publishedOrReplaced(_ db: Database, tenant: TenantID) throws -> [ReportRunRecord] {
        try ReportRunRecord.filter(Run.tenant == tenant.rawValue && Run.state != ReportRunState.pending.rawValue)
            .order(Run.generatedAt, Run.id).fetchAll(db)
    }

    /// The latest published run of the most recent period of `tenant` that ended before `day`; nil when none.
    package static func latestPublished(_ db: Database, tenant: TenantID, endingBefore day: UTCDay) throws
        -> ReportRunRecord?
    {
        try ReportRunRecord.filter(
            Run.tenant == tenant.rawValue && Run.periodLastDay < day.description
                && Run.state == ReportRunState.published.rawValue
        ).order(Run.periodLastDay.desc, Run.generatedAt.desc, Run.id.desc).fetchOne(db)
    }

    /// The latest published run of each of the `limit` most recent periods of `tenant`, most recent period first.
    package static func latestPublishedPerPeriod(_ db: Database, tenant: TenantID, limit: Int) throws -> [ReportRunRecord] {
        try ReportRunRecord.fetchAll(
            db,
            sql: """
                SELECT * FROM report_run AS run WHERE tenant = ? AND state = ? AND NOT EXISTS (
                    SELECT 1 FROM report_run AS later WHERE later.tenant = run.tenant AND later.period_label = run.period_label
                        AND later.state = run.state AND (later.generated_at > run.generated_at OR (later.generated_at = run.generated_at AND later.id > run.id)))
                ORDER BY period_last_day DESC, period_first_day DESC LIMIT ?
                """,
            arguments: [tenant.rawValue, ReportRunState.published.rawValue, limit])
    }

    /// The findings of run `runID`, by finding id.
    package static func findings(_ db: Database, runID: Int64) throws -> [ReportFindingRecord] {
        try ReportFindingRecord.filter(ReportFindingRecord.Columns.runID == runID)
            .order(ReportFindingRecord.Columns.findingID).fetchAll(db)
    }

    /// The accounts of run `runID`, by account key.
    package static func accounts(_ db: Database, runID: Int64) throws -> [ReportAccountRecord] {
        try ReportAccountRecord.filter(ReportAccountRecord.Columns.runID == runID)
            .order(ReportAccountRecord.Columns.accountKey).fetchAll(db)
    }
}
