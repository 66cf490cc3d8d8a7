import Core
import Store
import Foundation
import Store
import GRDB

/// Stored alerts, their triage and the record of detection runs: what `alerts`, drift and reports read.
public enum AlertStore {
    /// Alerts whose event time lies in `[from, to)`, narrowed to one tenant when given; oldest event first.
    /// Each carries its latest triage, if any.
    public static func alerts(_ db: Database, tenant: TenantID?, from: Date?, to: Date?) throws -> [Alert] {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let tenant {
            clauses.append("a.tenant = ?")
            arguments.append(tenant.rawValue)
        }
        if let from {
            clauses.append("a.event_time >= ?")
            arguments.append(UTCTimestamp.format(from))
        }
        if let to {
            clauses.append("a.event_time < ?")
            arguments.append(UTCTimestamp.format(to))
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try fetch(db, filter: filter, arguments: StatementArguments(arguments), order: "a.event_time, a.id")
    }

    /// One alert by id.
    public static func alert(id: Int64, _ db: Database) throws -> Alert? {
        try fetch(db, filter: "WHERE a.id = ?", arguments: [id], order: "a.id").first
    }

    /// Alerts raised by one run, in the order raised.
    public static func alerts(raisedByRun runID: Int64, _ db: Database) throws -> [Alert] {
        try fetch(db, filter: "WHERE a.run_id = ?", arguments: [runID], order: "a.id")
    }

    /// Every detection run, oldest first.
    public static func detectionRuns(_ db: Database) throws -> [DetectionRunSummary] {
        try Row.fetchAll(db, sql: "SELECT * FROM detection_run ORDER BY id").map(summary)
    }

    /// The most recent detection run, if any ran.
    public static func latestRun(_ db: Database) throws -> DetectionRunSummary? {
        try Row.fetchOne(db, sql: "SELECT * FROM detection_run ORDER BY id DESC LIMIT 1").map(summary)
    }

    /// Records triage of an alert (`alerts ack`). Earlier triage is kept; the alert shows the latest.
    @discardableResult
    public static func acknowledge(_ db: Database, alertID: Int64, by: String, note: String, at time: Date) throws
        -> Alert
    {
        guard try alert(id: alertID, db) != nil else { throw AlertStoreError.noSuchAlert(alertID) }
        try db.execute(
            sql: "INSERT INTO alert_triage (alert_id, triaged_by, note, triaged_at) VALUES (?, ?, ?, ?)",
            arguments: [alertID, by, note, UTCTimestamp.format(time)])
        try ChainedTable.alertTriage.record(db, key: [db.lastInsertedRowID])
        guard let updated = try alert(id: alertID, db) else { throw AlertStoreError.noSuchAlert(alertID) }
        return updated
    }

    /// Inserts `alert` unless its (rule, event) pair already alerted. Returns it with its new id, or nil when an
    /// earlier run raised it.
    static func insertIfNew(_ db: Database, _ alert: Alert, runID: Int64) throws -> Alert? {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO alert (rule_id, rule_name, severity, risk_score, signal, tenant, event_id,
                    event_time, actor, target, object_id, outcome, direction, raised_at, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                alert.ruleID, alert.ruleName, alert.severity.rawValue, alert.riskScore, alert.signal.rawValue,
                // Attacker-written names keep a NUL (`NULSafeText`): cut there, `svc-backup\0-x` would read as svc-backup.
                alert.tenant.rawValue, alert.eventID, UTCTimestamp.format(alert.eventTime), NULSafeText.encode(alert.actor),
                NULSafeText.encode(alert.target), NULSafeText.encode(alert.objectID), alert.outcome.rawValue, alert.direction.rawValue,
                UTCTimestamp.format(alert.raisedAt), runID,
            ])
        guard db.changesCount > 0 else { return nil }
        var stored = alert
        stored.id = db.lastInsertedRowID
        try ChainedTable.alert.record(db, key: [db.lastInsertedRowID])
        return stored
    }

    /// Whether `ruleID` has already alerted on `eventID` (the unique index answers).
    static func hasAlerted(_ db: Database, ruleID: String, eventID: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT 1 FROM alert WHERE rule_id = ? AND event_id = ?", arguments: [ruleID, eventID]) ?? false
    }

    /// Reads alerts through a cursor with columns by position: drift and report read every alert of a month
    /// (200,000 at scale), where looking columns up by name and re-normalising each tenant id cost most of the time.
    private static func fetch(_ db: Database, filter: String, arguments: StatementArguments, order: String) throws
        -> [Alert]
    {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT a.id, a.rule_id, a.rule_name, a.severity, a.risk_score, a.signal, a.tenant, a.event_id,
                       a.event_time, a.actor, a.target, a.object_id, a.outcome, a.direction, a.raised_at,
                       t.triaged_by, t.note, t.triaged_at
                FROM alert a
                LEFT JOIN alert_triage t ON t.id = (SELECT MAX(id) FROM alert_triage WHERE alert_id = a.id)
                \(filter) ORDER BY \(order)
                """, arguments: arguments)
        var tenants: [String: TenantID] = [:]
        var alerts: [Alert] = []
        while let row = try cursor.next() {
            let tenantText: String = row[6]
            let tenant = tenants[tenantText] ?? TenantID(tenantText)
            tenants[tenantText] = tenant
            alerts.append(alert(row, tenant: tenant))
        }
        return alerts
    }

    /// One row of `fetch`'s query.
    private static func alert(_ row: Row, tenant: TenantID) -> Alert {
        var triage: AlertTriage?
        if let by: String = row[15] {
            triage = AlertTriage(by: by, note: row[16] ?? "", at: UTCTimestamp.parse(row[17] ?? "") ?? .distantPast)
        }
        return Alert(
            id: row[0], ruleID: row[1], ruleName: row[2], severity: Severity(rawValue: row[3]) ?? .medium, riskScore: row[4],
            signal: DetectionSignal(rawValue: row[5]) ?? .other, tenant: tenant, eventID: row[7],
            eventTime: UTCTimestamp.parse(row[8]) ?? .distantPast, actor: NULSafeText.decode(row[9]),
            target: NULSafeText.decode(row[10]), objectID: NULSafeText.decode(row[11]),
            outcome: EventOutcome(rawValue: row[12]) ?? .unknown, direction: BypassDirection(rawValue: row[13]) ?? .unknown,
            raisedAt: UTCTimestamp.parse(row[14]) ?? .distantPast, triage: triage)
    }

    private static func summary(_ row: Row) -> DetectionRunSummary {
        let ruleIDs = (try? JSONDecoder().decode([String].self, from: Data((row["rule_ids"] as String).utf8))) ?? []
        return DetectionRunSummary(
            id: row["id"], ranAt: UTCTimestamp.parse(row["ran_at"]) ?? .distantPast,
            now: UTCTimestamp.parse(row["now"]) ?? .distantPast,
            evaluatedThrough: (row["evaluated_through"] as String?).flatMap(UTCTimestamp.parse),
            eventsEvaluated: row["events_evaluated"], alertsRaised: row["alerts_raised"],
            ruleSetDigest: row["rule_set_digest"], mode: DetectionMode(rawValue: row["mode"]) ?? .catchUp,
            heldBack: row["held_back"], deferred: row["deferred"], ruleIDs: ruleIDs)
    }
}

public enum AlertStoreError: Error, CustomStringConvertible, Equatable {
    case noSuchAlert(Int64)

    public var description: String {
        switch self {
        case .noSuchAlert(let id): "no alert with id \(id)"
        }
    }
}
