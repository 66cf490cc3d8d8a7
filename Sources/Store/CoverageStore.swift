import Core
import Foundation
import GRDB

/// Per-day record counts: which days have audit data at all, so "no bypass event" can be told from "no data".
/// Every change of a count is chained (`ChainedTable.coverage`): padded counts would hide a day without logs.
public enum CoverageStore {
    /// Adds `counts` for one input file (inside the caller's transaction, with the batch they came from).
    public static func add(_ db: Database, inputFileID: Int64, counts: [UTCDay: Int]) throws {
        for (day, records) in counts where records > 0 {
            try db.execute(
                sql: """
                    INSERT INTO coverage (input_file_id, day, records) VALUES (?, ?, ?)
                    ON CONFLICT(input_file_id, day) DO UPDATE SET records = records + excluded.records
                    """,
                arguments: [inputFileID, day.description, records])
            try ChainedTable.coverage.record(db, key: [inputFileID, day.description])
        }
    }

    /// Sets `counts` for a source that reports whole-day totals (a cluster's per-day aggregation): a day's count
    /// only grows, so a later, narrower or partial window never lowers what an earlier one saw.
    public static func raise(_ db: Database, inputFileID: Int64, counts: [UTCDay: Int]) throws {
        for (day, records) in counts where records > 0 {
            try db.execute(
                sql: """
                    INSERT INTO coverage (input_file_id, day, records) VALUES (?, ?, ?)
                    ON CONFLICT(input_file_id, day) DO UPDATE SET records = MAX(records, excluded.records)
                    """,
                arguments: [inputFileID, day.description, records])
            try ChainedTable.coverage.record(db, key: [inputFileID, day.description])
        }
    }

    /// Drops every count of one input file (`ingest --reread` counts it afresh), chaining each removal first.
    public static func remove(_ db: Database, inputFileID: Int64) throws {
        try ChainedTable.coverage.recordRemovalOfAll(db, where: "t.input_file_id = ?", arguments: [inputFileID])
        try db.execute(sql: "DELETE FROM coverage WHERE input_file_id = ?", arguments: [inputFileID])
    }

    /// Records read per day over all input files, for days in `first...last` that have any.
    public static func recordsPerDay(_ db: Database, from first: UTCDay, through last: UTCDay) throws -> [UTCDay: Int] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT day, SUM(records) AS records FROM coverage WHERE day >= ? AND day <= ? GROUP BY day",
            arguments: [first.description, last.description])
        var result: [UTCDay: Int] = [:]
        for row in rows {
            if let day = UTCDay(row["day"] as String) { result[day] = row["records"] }
        }
        return result
    }

    /// Days in `first...last` with no audit record at all.
    public static func daysWithoutData(_ db: Database, from first: UTCDay, through last: UTCDay) throws -> [UTCDay] {
        let covered = try recordsPerDay(db, from: first, through: last)
        return (first...last).filter { (covered[$0] ?? 0) == 0 }
    }
}
