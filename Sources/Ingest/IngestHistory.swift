import Core
import Store
import Foundation
import GRDB

/// What earlier ingest runs used, so a rule added later can say that older history never met it.
public enum IngestHistory {
    /// Of `ruleIDs`, those that some earlier run which read records did not have loaded: events that only such a rule
    /// keeps were not stored by that run, so its inputs need ingesting again for the rule to see them.
    public static func rulesMissingFromEarlierRuns(_ db: Database, ruleIDs: [String]) throws -> [String] {
        var missing = Set<String>()
        for run in try IngestRunRecords.runsThatReadRecords(db) {
            let used = Set(run.ruleIDs)
            missing.formUnion(ruleIDs.filter { !used.contains($0) })
        }
        return ruleIDs.filter(missing.contains)
    }

    /// Records the start of an ingest run with the rules it keeps events for; returns the run's id.
    public static func beginRun(_ database: AuditDatabase, interest: EventInterest, at time: Date) throws -> Int64 {
        try database.write { db in
            try IngestRunRecords.begin(db, ruleSetDigest: interest.ruleSetDigest, ruleIDs: interest.ruleIDs, at: time)
        }
    }

    /// Records what an ingest run did.
    public static func finishRun(_ database: AuditDatabase, id: Int64, summary: IngestSummary) throws {
        try database.write { db in
            try IngestRunRecords.finish(
                db, id: id, at: Date(), files: summary.files, records: summary.records,
                eventsStored: summary.eventsStored, duplicates: summary.duplicates, skipped: summary.skipped)
        }
    }
}
