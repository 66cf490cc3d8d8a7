import Core
import Foundation
import GRDB

/// The table `ingest_run`: one row per ingest run, begun before it reads and finished with what it did.
public enum IngestRunRecords {
    /// Records the start of a run that keeps the events of `ruleIDs` (rule set `ruleSetDigest`); returns its id.
    public static func begin(_ db: Database, ruleSetDigest: String, ruleIDs: [String], at time: Date) throws -> Int64 {
        let run = IngestRunRow(
            id: 0, startedAt: time, finishedAt: nil, ruleSetDigest: ruleSetDigest, ruleIDs: ruleIDs, files: 0,
            records: 0, eventsStored: 0, duplicates: 0, skipped: 0)
        try run.insert(db)
        return db.lastInsertedRowID
    }

    /// Records what run `id` did.
    public static func finish(
        _ db: Database, id: Int64, at time: Date, files: Int, records: Int, eventsStored: Int, duplicates: Int,
        skipped: Int
    ) throws {
        typealias C = IngestRunRow.Columns
        try IngestRunRow.filter(key: id).updateAll(
            db, C.finishedAt.set(to: UTCTimestamp.format(time)), C.files.set(to: files), C.records.set(to: records),
            C.eventsStored.set(to: eventsStored), C.duplicates.set(to: duplicates), C.skipped.set(to: skipped))
    }

    /// The runs that read at least one record, oldest first.
    public static func runsThatReadRecords(_ db: Database) throws -> [IngestRunRow] {
        try IngestRunRow.filter(IngestRunRow.Columns.records > 0).order(IngestRunRow.Columns.id).fetchAll(db)
    }
}
