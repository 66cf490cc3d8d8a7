import Core
import Foundation
import GRDB

/// Where each rule has got to in the event store: its watermark (`detection_watermark`) and the events it read but
/// has not finished with (`detection_pending`).
public enum DetectionCursor {
    /// The rule's watermark; nil when the rule never ran.
    public static func watermark(_ db: Database, ruleID: String) throws -> DetectionWatermarkRow? {
        try DetectionWatermarkRow.fetchOne(db, key: ruleID)
    }

    /// Moves the rule's watermark to `rowID`: never backwards under the same query, and to exactly `rowID` when the
    /// query changed (the rule re-read every event with the new one).
    public static func advanceWatermark(
        _ db: Database, ruleID: String, through rowID: Int64, queryDigest: String, at time: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO detection_watermark (rule_id, last_rowid, query_digest, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(rule_id) DO UPDATE SET
                    last_rowid = CASE WHEN excluded.query_digest = query_digest
                                      THEN MAX(last_rowid, excluded.last_rowid) ELSE excluded.last_rowid END,
                    query_digest = excluded.query_digest, updated_at = excluded.updated_at
                """,
            arguments: [ruleID, rowID, queryDigest, UTCTimestamp.format(time)])
    }

    /// Every pending (rule, event) pair, oldest event (by insertion) first.
    public static func pending(_ db: Database) throws -> [DetectionPendingRow] {
        try DetectionPendingRow.order(DetectionPendingRow.Columns.eventRowID).fetchAll(db)
    }

    /// Records `pending`, replacing what the rule had pending for the same event.
    public static func hold(_ db: Database, _ pending: DetectionPendingRow) throws {
        try pending.insert(db, onConflict: .replace)
    }

    /// Drops the rule's pending rows: all of them, or only those for `reason`.
    public static func release(_ db: Database, ruleID: String, reason: DetectionPendingRow.Reason? = nil) throws {
        var rows = DetectionPendingRow.filter(DetectionPendingRow.Columns.ruleID == ruleID)
        if let reason { rows = rows.filter(DetectionPendingRow.Columns.reason == reason.rawValue) }
        try rows.deleteAll(db)
    }

    /// Drops the rule's pending row for one event (evaluated at last).
    public static func release(_ db: Database, ruleID: String, eventRowID: Int64) throws {
        try DetectionPendingRow.filter(
            DetectionPendingRow.Columns.ruleID == ruleID && DetectionPendingRow.Columns.eventRowID == eventRowID
        ).deleteAll(db)
    }

    /// How many events the rule has pending for `reason`.
    public static func pendingCount(_ db: Database, ruleID: String, reason: DetectionPendingRow.Reason) throws -> Int {
        try DetectionPendingRow.filter(
            DetectionPendingRow.Columns.ruleID == ruleID && DetectionPendingRow.Columns.reason == reason.rawValue
        ).fetchCount(db)
    }

    /// The newest event time such that every stored event up to rowid `bound` at or before it has been evaluated by
    /// every rule of `ruleIDs`: the newest event time overall, or the newest before the oldest event one of them
    /// deferred. Nil when there is none (no rules, or no event with a time).
    public static func evaluatedThrough(_ db: Database, ruleIDs: [String], bound: Int64) throws -> Date? {
        guard !ruleIDs.isEmpty else { return nil }
        let placeholders = databaseQuestionMarks(count: ruleIDs.count)
        let oldestDeferred = try String.fetchOne(
            db,
            sql: """
                SELECT MIN(e.timestamp) FROM detection_pending p JOIN event e ON e.event_id = p.event_id
                WHERE p.reason = ? AND e.timestamp != '' AND p.rule_id IN (\(placeholders))
                """, arguments: StatementArguments([DetectionPendingRow.Reason.deferred.rawValue] + ruleIDs))
        var sql = "SELECT event_id, timestamp FROM event WHERE rowid <= ? AND timestamp != ''"
        var arguments: StatementArguments = [bound]
        if let oldestDeferred {
            sql += " AND timestamp < ?"
            _ = arguments.append(contentsOf: [oldestDeferred])
        }
        guard let newest = try Row.fetchOne(db, sql: sql + " ORDER BY timestamp DESC LIMIT 1", arguments: arguments)
        else { return nil }
        let eventID: String = try newest.decode(forColumn: "event_id")
        let timestamp: String = try newest.decode(forColumn: "timestamp")
        return try StoredRowDecoding(table: EventRow.databaseTableName, row: eventID).date(timestamp, column: "timestamp")
    }
}
