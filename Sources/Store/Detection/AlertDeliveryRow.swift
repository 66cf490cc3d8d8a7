import Core
import Foundation
import GRDB

/// One row of `alert_delivery`: an alert sent to one destination (cluster URL + index).
public struct AlertDeliveryRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert_delivery"

    public enum Columns {
        public static let alertID = Column("alert_id")
        public static let destination = Column("destination")
        public static let documentID = Column("document_id")
        public static let attempts = Column("attempts")
        public static let lastError = Column("last_error")
        public static let deliveredAt = Column("delivered_at")
    }

    public var alertID: Int64
    public var destination: String
    /// The document id the alert is sent under (the same on every attempt, so the cluster keeps one copy).
    public var documentID: String
    public var attempts: Int
    /// Why the last attempt failed (nil once delivered).
    public var lastError: String?
    /// When the destination acknowledged it; nil: not delivered yet.
    public var deliveredAt: Date?

    public init(
        alertID: Int64, destination: String, documentID: String, attempts: Int, lastError: String?, deliveredAt: Date?
    ) {
        self.alertID = alertID
        self.destination = destination
        self.documentID = documentID
        self.attempts = attempts
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }

    public init(row: Row) throws {
        alertID = try row.decode(Int64.self, forColumn: Columns.alertID)
        destination = try row.decode(String.self, forColumn: Columns.destination)
        documentID = try row.decode(String.self, forColumn: Columns.documentID)
        attempts = try row.decode(Int.self, forColumn: Columns.attempts)
        lastError = try row.decode(String?.self, forColumn: Columns.lastError)
        deliveredAt = try StoredRowDecoding(table: Self.databaseTableName, row: "\(alertID)|\(destination)")
            .dateIfPresent(try row.decode(String?.self, forColumn: Columns.deliveredAt), column: Columns.deliveredAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.alertID] = alertID
        container[Columns.destination] = destination
        container[Columns.documentID] = documentID
        container[Columns.attempts] = attempts
        container[Columns.lastError] = lastError
        container[Columns.deliveredAt] = deliveredAt.map(UTCTimestamp.format)
    }
}
