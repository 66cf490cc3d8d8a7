import Core
import Foundation
import GRDB

/// The table `detection_run`: one row per detection run, so drift can tell "no alerts" from "detection never ran".
public enum DetectionRunRecords {
    /// Inserts a run as it starts (`run.id` is ignored); returns its id. `finish` fills in what it did.
    public static func begin(_ db: Database, _ run: DetectionRunRow) throws -> Int64 {
        try run.insert(db)
        return db.lastInsertedRowID
    }

    /// Records what run `id` raised, held back and deferred, and how far it evaluated.
    public static func finish(
        _ db: Database, id: Int64, alertsRaised: Int, heldBack: Int, deferred: Int, evaluatedThrough: Date?
    ) throws {
        typealias C = DetectionRunRow.Columns
        try DetectionRunRow.filter(key: id).updateAll(
            db, C.alertsRaised.set(to: alertsRaised), C.heldBack.set(to: heldBack), C.deferred.set(to: deferred),
            C.evaluatedThrough.set(to: evaluatedThrough.map(UTCTimestamp.format)))
    }

    /// Every run, oldest first.
    public static func all(_ db: Database) throws -> [DetectionRunRow] {
        try DetectionRunRow.order(DetectionRunRow.Columns.id).fetchAll(db)
    }

    /// The most recent run, if any ran.
    public static func latest(_ db: Database) throws -> DetectionRunRow? {
        try DetectionRunRow.order(DetectionRunRow.Columns.id.desc).fetchOne(db)
    }
}
