import Core
import Store
import Foundation
import GRDB

/// What earlier ingest runs used, so a rule added later can say that older history never met it.
public enum IngestHistory {
    /// Of `ruleIDs`, those that some earlier run which read records did not have loaded: events that only such a rule
    /// keeps were not stored by that run, so its inputs need ingesting again for the rule to see them.
    public static func rulesMissingFromEarlierRuns(_ db: Database, ruleIDs: [String]) throws -> [String] {
        let earlier = try String.fetchAll(db, sql: "SELECT rule_ids FROM ingest_run WHERE records > 0")
        var missing = Set<String>()
        for text in earlier {
            let used = Set((try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [])
            missing.formUnion(ruleIDs.filter { !used.contains($0) })
        }
        return ruleIDs.filter(missing.contains)
    }

    /// Records the start of an ingest run with the rules it keeps events for; returns the run's id.
    public static func beginRun(_ database: AuditDatabase, interest: EventInterest, at time: Date) throws -> Int64 {
        try database.write { db -> Int64 in
            let ruleIDs = try JSONCoding.string(interest.ruleIDs, pretty: false)
            try db.execute(
                sql: "INSERT INTO ingest_run (started_at, rule_set_digest, rule_ids) VALUES (?, ?, ?)",
                arguments: [UTCTimestamp.format(time), interest.ruleSetDigest, ruleIDs])
            return db.lastInsertedRowID
        }
    }

    /// Records what an ingest run did.
    public static func finishRun(_ database: AuditDatabase, id: Int64, summary: IngestSummary) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE ingest_run SET finished_at = ?, files = ?, records = ?, events_stored = ?, duplicates = ?,
                           skipped = ? WHERE id = ?
                    """,
                arguments: [
                    UTCTimestamp.format(Date()), summary.files, summary.records, summary.eventsStored,
                    summary.duplicates, summary.skipped, id,
                ])
        }
    }
}
