import GRDB

/// Report runs: what each `report` wrote, kept so the next report can compare with it and draw the trend.
enum ReportSchema {
    static func createV1(_ db: Database) throws {
        // One row per run; a rerun of a period is a new row with the next revision (the folder beside the first).
        try db.create(table: "report_run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("report_id", .text).notNull().unique()
            t.column("tenant", .text).notNull()
            t.column("period_label", .text).notNull()
            t.column("period_first_day", .text).notNull()  // YYYY-MM-DD: sorts as time
            t.column("period_last_day", .text).notNull()
            t.column("revision", .integer).notNull()
            t.column("as_of", .text).notNull()
            t.column("generated_at", .text).notNull()  // UTCTimestamp.format: sorts as time
            t.column("folder", .text).notNull()
            t.column("verdict", .text).notNull()
            t.column("findings_critical", .integer).notNull()
            t.column("findings_high", .integer).notNull()
            t.column("findings_medium", .integer).notNull()
            t.column("findings_low", .integer).notNull()
            t.column("findings_info", .integer).notNull()
            t.column("bypassed_accounts", .integer).notNull()
        }
        try db.create(index: "report_run_by_period", on: "report_run", columns: ["tenant", "period_last_day", "generated_at"])
        try db.create(table: "report_finding") { t in
            t.column("run_id", .integer).notNull().references("report_run", onDelete: .cascade)
            t.column("finding_id", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("severity", .text).notNull()
            t.primaryKey(["run_id", "finding_id"])
        }
        try db.create(table: "report_account") { t in
            t.column("run_id", .integer).notNull().references("report_run", onDelete: .cascade)
            t.column("account_key", .text).notNull()
            t.column("name", .text).notNull()
            t.column("status", .text).notNull()
            t.primaryKey(["run_id", "account_key"])
        }
    }

    /// "v4-report-revisions": a report folder's life cycle. A run is stored as `pending` (with the SHA-256 of its
    /// `SHA256SUMS` and the hidden folder it was rendered in) before its folder is renamed into place, and becomes
    /// `published` once it is; a run a later `report --force` withdrew is `replaced`, its folder moved aside. So a run
    /// killed between the rename and the commit is completed by the next one, which finds the pending row.
    /// Rows written before this migration are published runs with no manifest digest or location.
    static func addRevisions(_ db: Database) throws {
        try db.alter(table: "report_run") { t in
            t.add(column: "state", .text).notNull().defaults(to: "published")  // pending | published | replaced
            t.add(column: "manifest_sha256", .text)  // SHA-256 of the folder's SHA256SUMS
            t.add(column: "location", .text)  // absolute path of the folder now (moved aside when replaced)
            t.add(column: "staging", .text)  // pending: the hidden folder the files were rendered in
            t.add(column: "reason", .text)  // why the run was made (required with --force)
            t.add(column: "made_by", .text)  // login name of whoever ran it
            t.add(column: "replaces_revision", .integer)  // --force: the revision this run withdrew
            t.add(column: "replaces_aside", .text)  // --force: where that revision's folder is moved
            t.add(column: "replaced_by", .text)  // replaced: the report id of the run that withdrew it
            t.add(column: "replaced_at", .text)
        }
        try db.create(index: "report_run_by_state", on: "report_run", columns: ["state"])
    }
}
