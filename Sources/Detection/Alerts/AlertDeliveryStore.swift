import Core
import Foundation
import GRDB

/// Which alerts a destination (cluster URL + index) has acknowledged: an alert counts as delivered only then.
public enum AlertDeliveryStore {
    /// Alerts not yet acknowledged by `destination`, oldest first.
    public static func undelivered(_ db: Database, destination: String) throws -> [Alert] {
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT a.id FROM alert a
                LEFT JOIN alert_delivery d ON d.alert_id = a.id AND d.destination = ?
                WHERE d.delivered_at IS NULL ORDER BY a.id
                """, arguments: [destination])
        return try ids.compactMap { try AlertStore.alert(id: $0, db) }
    }

    /// Records an acknowledged delivery.
    public static func markDelivered(_ db: Database, alertID: Int64, destination: String, documentID: String, at time: Date)
        throws
    {
        try db.execute(
            sql: """
                INSERT INTO alert_delivery (alert_id, destination, document_id, attempts, delivered_at, last_error)
                VALUES (?, ?, ?, 1, ?, NULL)
                ON CONFLICT(alert_id, destination) DO UPDATE SET attempts = attempts + 1,
                    delivered_at = excluded.delivered_at, last_error = NULL
                """,
            arguments: [alertID, destination, documentID, UTCTimestamp.format(time)])
    }

    /// Records a failed attempt (the alert stays undelivered and is sent again by the next run).
    public static func markFailed(_ db: Database, alertID: Int64, destination: String, documentID: String, error: String)
        throws
    {
        try db.execute(
            sql: """
                INSERT INTO alert_delivery (alert_id, destination, document_id, attempts, last_error) VALUES (?, ?, ?, 1, ?)
                ON CONFLICT(alert_id, destination) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error
                """,
            arguments: [alertID, destination, documentID, error])
    }
}
