import Core
import Foundation
import GRDB

/// What drift asks of one tenant's alerts over its activity window, answered by the indexes of `v7-alert-indexes`
/// rather than by reading every alert of the month (200,000 at scale, the largest read of a drift run).
///
/// The window is closed, like drift's (`period start ... min(period end, as-of)`). Event times are stored as
/// millisecond text, which sorts like the instants it names, so the bounds are written as the first and last stored
/// millisecond the window holds.
extension AlertRecords {
    /// The events in `window` on which an alert of `signal` fired, as keys (`EventKey`): read from
    /// `alert_by_tenant_signal_time` alone, never from the rows.
    public static func eventKeys(_ db: Database, tenant: TenantID, signal: String, within window: ClosedRange<Date>)
        throws -> Set<EventKey>
    {
        let condition = """
            FROM alert a INDEXED BY alert_by_tenant_signal_time
            WHERE a.tenant = ? AND a.signal = ? AND a.event_time >= ? AND a.event_time <= ?
            """
        let arguments = StatementArguments([tenant.rawValue, signal] + bounds(of: window))
        let statement = try db.makeStatement(sql: "SELECT a.event_id \(condition)")
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let columns = StatementColumns(statement, table: AlertRow.databaseTableName)
        // Grown as it fills: counting first walked the index range a second time, which cost more than rehashing keys
        // of 16 bytes.
        var ids = Set<EventKey>()
        while try cursor.next() != nil {
            ids.insert(try columns.withRequiredText(0, row: "event", column: AlertRow.Columns.eventID.name) { EventKey(utf8: $0) })
        }
        return ids
    }

    /// The alerts of `signals` in `window` that nobody triaged (`alerts ack`): how many, and the ids of the first
    /// `limit` in event order (a reason quotes a few; the count needs no row of its own).
    public static func untriaged(
        _ db: Database, tenant: TenantID, signals: [String], within window: ClosedRange<Date>, firstFew limit: Int
    ) throws -> (count: Int, firstIDs: [Int64]) {
        let signalList = databaseQuestionMarks(count: signals.count)
        let arguments = StatementArguments([tenant.rawValue] + signals + bounds(of: window))
        let condition = "a.tenant = ? AND a.signal IN (\(signalList)) AND a.event_time >= ? AND a.event_time <= ?"
        let all = try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM alert a INDEXED BY alert_by_tenant_signal_time WHERE \(condition)",
            arguments: arguments) ?? 0
        // Driven by the triage rows (few), not by the alerts.
        let triaged = try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM alert a
                WHERE a.id IN (SELECT alert_id FROM alert_triage) AND \(condition)
                """, arguments: arguments) ?? 0
        let first = try Int64.fetchAll(
            db,
            sql: """
                SELECT a.id FROM alert a INDEXED BY alert_by_tenant_time
                WHERE \(condition) AND NOT EXISTS (SELECT 1 FROM alert_triage t WHERE t.alert_id = a.id)
                ORDER BY a.event_time, a.id LIMIT ?
                """, arguments: arguments + [limit])
        return (all - triaged, first)
    }

    /// The newest event time among the tenant's alerts in `window`, nil when it holds none.
    public static func newestEventTime(_ db: Database, tenant: TenantID, within window: ClosedRange<Date>) throws
        -> Date?
    {
        let text = try String.fetchOne(
            db,
            sql: """
                SELECT MAX(a.event_time) FROM alert a INDEXED BY alert_by_tenant_time
                WHERE a.tenant = ? AND a.event_time >= ? AND a.event_time <= ?
                """, arguments: StatementArguments([tenant.rawValue] + bounds(of: window)))
        return try text.map {
            try StoredRowDecoding(table: AlertRow.databaseTableName, row: "newest").date($0, column: "event_time")
        }
    }

    /// The highest alert id stored (0 when none). Alerts are only ever added, with growing ids, so the alerts of one
    /// committed state are exactly those up to its highest id: a later read can ask for that state's alerts alone.
    public static func newestID(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM alert") ?? 0
    }

    /// References (`AlertReferenceRow`) to the tenant's alerts raised on any of `eventIDs` with ids up to
    /// `throughID`, through `alert_by_event`, in event order (`forEachAlert`'s order).
    public static func references(
        _ db: Database, tenant: TenantID, raisedOn eventIDs: [String], throughID: Int64
    ) throws -> [AlertReferenceRow] {
        var references: [AlertReferenceRow] = []
        var repeated = AlertReferenceRow.RepeatedValues()
        // In chunks well under SQLite's limit on bound parameters; each chunk is a set of index lookups.
        for start in stride(from: 0, to: eventIDs.count, by: 500) {
            let chunk = eventIDs[start..<min(start + 500, eventIDs.count)]
            let statement = try db.makeStatement(
                sql: """
                    SELECT \(AlertReferenceRow.selection) FROM alert a INDEXED BY alert_by_event
                    WHERE a.event_id IN (\(databaseQuestionMarks(count: chunk.count))) AND a.tenant = ? AND a.id <= ?
                    """)
            let cursor = try Row.fetchCursor(
                statement, arguments: StatementArguments(Array(chunk) + [tenant.rawValue]) + [throughID])
            let columns = StatementColumns(statement, table: AlertRow.databaseTableName)
            while try cursor.next() != nil { references.append(try AlertReferenceRow(columns, repeated: &repeated)) }
        }
        return references.sorted { ($0.eventTime, $0.id) < ($1.eventTime, $1.id) }
    }

    /// The first and last stored event time `window` holds, as stored text (floored to the millisecond, as stored).
    private static func bounds(of window: ClosedRange<Date>) -> [String] {
        let first = UTCTimestamp.format(window.lowerBound)
        // A lower bound between two milliseconds starts at the next one.
        let firstStored = UTCTimestamp.parse(first).map { $0 < window.lowerBound } == true
            ? UTCTimestamp.format(window.lowerBound.addingTimeInterval(0.001)) : first
        return [firstStored, UTCTimestamp.format(window.upperBound)]
    }
}
