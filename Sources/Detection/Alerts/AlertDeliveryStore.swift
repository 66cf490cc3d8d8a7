import Core
import Foundation
import GRDB
import Store

/// Alerts waiting for a destination (cluster URL + index), in Detection's terms. Store's `AlertDeliveryRecords` owns
/// the table and records each attempt.
public enum AlertDeliveryStore {
    /// Alerts not yet acknowledged by `destination`, oldest first.
    public static func undelivered(_ db: Database, destination: String) throws -> [Alert] {
        try Alert.all(AlertDeliveryRecords.undelivered(db, destination: destination))
    }
}
