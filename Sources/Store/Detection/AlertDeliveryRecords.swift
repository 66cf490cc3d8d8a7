import Core
import Foundation
import GRDB

/// The table `alert_delivery`: which alerts a destination (cluster URL + index) has acknowledged. An alert counts as
/// delivered only then; a failed attempt keeps its error and the alert is sent again by the next run.
public enum AlertDeliveryRecords {
    /// Alerts `destination` has not acknowledged, oldest first, each with its latest triage.
    public static func undelivered(_ db: Database, destination: String) throws -> [StoredAlert] {
        try AlertRecords.fetch(
            db,
            filter: """
                WHERE NOT EXISTS (SELECT 1 FROM alert_delivery d
                                  WHERE d.alert_id = a.id AND d.destination = ? AND d.delivered_at IS NOT NULL)
                """, arguments: [destination], order: "a.id")
    }

    /// The delivery state of one alert at one destination; nil when it was never sent there.
    public static func delivery(_ db: Database, alertID: Int64, destination: String) throws -> AlertDeliveryRow? {
        try AlertDeliveryRow.fetchOne(
            db, key: [AlertDeliveryRow.Columns.alertID.name: alertID, AlertDeliveryRow.Columns.destination.name: destination])
    }

    /// Records an acknowledged delivery (one more attempt, the error cleared).
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
