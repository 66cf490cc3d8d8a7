import Core
import Foundation
import GRDB

/// An alert as stored, with its latest triage (nil while nobody acknowledged it).
public struct StoredAlert: Sendable, Hashable {
    public var alert: AlertRow
    public var latestTriage: AlertTriageRow?

    public init(alert: AlertRow, latestTriage: AlertTriageRow?) {
        self.alert = alert
        self.latestTriage = latestTriage
    }
}

/// The tables `alert` and `alert_triage`: raising an alert once per (rule, event), triage, and the reads `alerts`,
/// drift and reports make. Every insert is chained in the ledger in the same transaction.
public enum AlertRecords {
    /// Alerts whose event time lies in `[from, to)`, narrowed to one tenant when given; oldest event first.
    public static func alerts(_ db: Database, tenant: TenantID?, from: Date?, to: Date?) throws -> [StoredAlert] {
        var alerts: [StoredAlert] = []
        try forEachAlert(db, tenant: tenant, from: from, to: to) { alerts.append($0) }
        return alerts
    }

    /// `alerts(_:tenant:from:to:)` handed over one at a time, in the same order, through the tenant/time index: for
    /// a reader that turns each into its own value (drift and reports read a month of alerts, 200,000 at scale, and
    /// holding them twice doubled the memory a run needs).
    public static func forEachAlert(
        _ db: Database, tenant: TenantID?, from: Date?, to: Date?, _ body: (StoredAlert) throws -> Void
    ) throws {
        let (filter, arguments) = filter(tenant: tenant, from: from, to: to)
        try fetch(db, filter: filter, arguments: arguments, order: "a.event_time, a.id", body)
    }

    /// How many alerts `forEachAlert` hands over for the same arguments (through the same index): a reader that
    /// collects them reserves exactly that, where growing by doubling held up to twice a month's alerts at once.
    public static func count(_ db: Database, tenant: TenantID?, from: Date?, to: Date?) throws -> Int {
        let (filter, arguments) = filter(tenant: tenant, from: from, to: to)
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert a \(filter)", arguments: arguments) ?? 0
    }

    /// The `WHERE` clause over `a` (the alert) for a tenant and an event-time range `[from, to)`.
    private static func filter(tenant: TenantID?, from: Date?, to: Date?) -> (String, StatementArguments) {
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
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), StatementArguments(arguments))
    }

    /// Alerts of `tenant` with one of `signals` whose event time lies in `[from, to)`, oldest event first, through
    /// `alert_by_tenant_signal_time` (drift quotes the few impairment alerts of a month whole).
    public static func alerts(_ db: Database, tenant: TenantID, signals: [String], from: Date, to: Date) throws
        -> [StoredAlert]
    {
        try fetch(
            db,
            filter: """
                WHERE a.tenant = ? AND a.signal IN (\(databaseQuestionMarks(count: signals.count)))
                    AND a.event_time >= ? AND a.event_time < ?
                """,
            arguments: StatementArguments([tenant.rawValue] + signals + [UTCTimestamp.format(from), UTCTimestamp.format(to)]),
            order: "a.event_time, a.id", indexedBy: "alert_by_tenant_signal_time")
    }

    /// One alert by id.
    public static func alert(id: Int64, _ db: Database) throws -> StoredAlert? {
        try fetch(db, filter: "WHERE a.id = ?", arguments: [id], order: "a.id").first
    }

    /// Alerts raised by one detection run, in the order raised.
    public static func alerts(raisedByRun runID: Int64, _ db: Database) throws -> [StoredAlert] {
        try fetch(db, filter: "WHERE a.run_id = ?", arguments: [runID], order: "a.id")
    }

    /// Whether `ruleID` has already alerted on `eventID` (the unique index answers).
    public static func hasAlerted(_ db: Database, ruleID: String, eventID: String) throws -> Bool {
        // A cached statement: detect asks this for every event a rule matches.
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM alert WHERE rule_id = ? AND event_id = ?)"),
            arguments: [ruleID, eventID]) ?? false
    }

    /// Inserts `alert` (its `id` is ignored) unless its (rule, event) pair already alerted, and chains it. Returns
    /// the new id, or nil when an earlier run raised it.
    public static func insertIfNew(_ db: Database, _ alert: AlertRow) throws -> Int64? {
        try alert.insert(db, onConflict: .ignore)
        guard db.changesCount > 0 else { return nil }
        let id = db.lastInsertedRowID
        try ChainedTable.alert.record(db, key: [id])
        return id
    }

    /// Records an acknowledgement (`triage.id` is ignored) and chains it; returns its id. Earlier triage is kept.
    @discardableResult
    public static func addTriage(_ db: Database, _ triage: AlertTriageRow) throws -> Int64 {
        try triage.insert(db)
        let id = db.lastInsertedRowID
        try ChainedTable.alertTriage.record(db, key: [id])
        return id
    }

    /// Alerts with their latest triage, through a cursor, for `filter` (a SQL condition over `a`, the alert).
    static func fetch(
        _ db: Database, filter: String, arguments: StatementArguments, order: String, indexedBy index: String? = nil
    ) throws -> [StoredAlert] {
        var alerts: [StoredAlert] = []
        try fetch(db, filter: filter, arguments: arguments, order: order, indexedBy: index) { alerts.append($0) }
        return alerts
    }

    /// `fetch`, handing each alert to `body` as it is read. The latest triage of every alert is found once, by one
    /// grouped scan of `alert_triage`, rather than by a lookup per alert.
    /// `index`, when given, is the index SQLite must walk (it would rather walk the one that needs no sort).
    static func fetch(
        _ db: Database, filter: String, arguments: StatementArguments, order: String, indexedBy index: String? = nil,
        _ body: (StoredAlert) throws -> Void
    ) throws {
        let alertColumns = AlertRow.Columns.all.map { "a.\($0.name)" }
        let triageColumns = AlertTriageRow.Columns.all.map { "t.\($0.name)" }
        let statement = try db.makeStatement(
            sql: """
                SELECT \((alertColumns + triageColumns).joined(separator: ", "))
                FROM alert a \(index.map { "INDEXED BY \($0)" } ?? "")
                LEFT JOIN (SELECT alert_id, MAX(id) AS id FROM alert_triage GROUP BY alert_id) latest
                    ON latest.alert_id = a.id
                LEFT JOIN alert_triage t ON t.id = latest.id
                \(filter) ORDER BY \(order)
                """)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        // Read by position from the statement itself, as their bytes (`AlertRow.init(_:repeated:)`).
        let columns = StatementColumns(statement, table: AlertRow.databaseTableName)
        let triageColumnsRead = StatementColumns(statement, table: AlertTriageRow.databaseTableName)
        let triageStart = alertColumns.count
        var repeated = AlertRow.RepeatedValues()
        while try cursor.next() != nil {
            let triage = columns.isNull(triageStart) ? nil : try AlertTriageRow(triageColumnsRead, startingAt: triageStart)
            try body(StoredAlert(alert: try AlertRow(columns, repeated: &repeated), latestTriage: triage))
        }
    }
}
