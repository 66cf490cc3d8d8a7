import GRDB

/// Tables of the Detection stage: alerts and their triage, per-rule progress through the event store, alerts and
/// evaluations waiting for a later run, and one row per detection run.
enum DetectionSchema {
    static func createV1(_ db: Database) throws {
        try db.create(table: "detection_run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("ran_at", .text).notNull()
            t.column("now", .text).notNull()
            t.column("mode", .text).notNull()  // DetectionMode
            t.column("evaluated_through", .text)
            t.column("events_evaluated", .integer).notNull()
            t.column("alerts_raised", .integer).notNull()
            t.column("held_back", .integer).notNull()
            t.column("deferred", .integer).notNull()
            t.column("rule_set_digest", .text).notNull()
            t.column("rule_ids", .text).notNull()  // JSON array
        }
        // One alert per (rule, event), ever: the unique key is what makes reruns raise nothing new.
        try db.create(table: "alert") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("rule_id", .text).notNull()
            t.column("rule_name", .text).notNull()
            t.column("severity", .text).notNull()
            t.column("risk_score", .integer).notNull()
            t.column("signal", .text).notNull()
            t.column("tenant", .text).notNull()
            t.column("event_id", .text).notNull()
            t.column("event_time", .text).notNull()
            t.column("actor", .text)
            t.column("target", .text)
            t.column("object_id", .text)
            t.column("outcome", .text).notNull()
            t.column("direction", .text).notNull()
            t.column("raised_at", .text).notNull()
            t.column("run_id", .integer).notNull().references("detection_run")
            t.uniqueKey(["rule_id", "event_id"])
        }
        try db.create(index: "alert_by_tenant_time", on: "alert", columns: ["tenant", "event_time"])
        // Every acknowledgement, newest last; an alert's triage is its latest row.
        try db.create(table: "alert_triage") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("alert_id", .integer).notNull().references("alert")
            t.column("triaged_by", .text).notNull()
            t.column("note", .text).notNull()
            t.column("triaged_at", .text).notNull()
        }
        try db.create(index: "alert_triage_by_alert", on: "alert_triage", columns: ["alert_id"])
        // How far each rule has read the event store (event rowids), and with which query: a changed query starts
        // over, so history is evaluated by the query in force.
        try db.create(table: "detection_watermark") { t in
            t.primaryKey("rule_id", .text)
            t.column("last_rowid", .integer).notNull()
            t.column("query_digest", .text).notNull()
            t.column("updated_at", .text).notNull()
        }
        // Events a rule read but has not finished with: `held-back` (matched; the alert waits for a run under
        // max_signals) or `deferred` (outside the look-back window of a scheduled run; a later run evaluates it).
        try db.create(table: "detection_pending") { t in
            t.column("rule_id", .text).notNull()
            t.column("event_rowid", .integer).notNull()
            t.column("event_id", .text).notNull()
            t.column("reason", .text).notNull()
            t.column("since_run", .integer).notNull().references("detection_run")
            t.primaryKey(["rule_id", "event_rowid"])
        }
    }
}

extension DetectionSchema {
    /// Two indexes that let drift ask the alerts what it judges instead of reading a month of them (200,000 at
    /// scale):
    /// - `alert_by_event`: the alerts an event raised, for the evidence of the few changes findings cite (the unique
    ///   key starts with the rule, so it cannot answer by event alone);
    /// - `alert_by_tenant_signal_time`: a tenant's alerts of one signal over a window, with their event ids in the
    ///   index itself, so control FP-5's questions are answered from the index without reading the rows.
    static func indexAlertsByEventV7(_ db: Database) throws {
        try db.create(index: "alert_by_event", on: "alert", columns: ["event_id"])
        try db.create(
            index: "alert_by_tenant_signal_time", on: "alert", columns: ["tenant", "signal", "event_time", "event_id"])
    }
}
