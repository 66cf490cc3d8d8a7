import Core
import Foundation
import GRDB

/// The table `elasticsearch_source`: the checkpoint of each cluster source, moved in the transaction that stores the
/// page it covers, so a run killed mid-way resumes after its last committed page.
public enum ElasticsearchSourceRecords {
    /// The source's row; nil when it was never read.
    public static func find(_ db: Database, source: String) throws -> ElasticsearchSourceRow? {
        try ElasticsearchSourceRow.fetchOne(db, key: source)
    }

    /// Records a new source read through input `inputFileID`, with no window begun.
    @discardableResult
    public static func create(_ db: Database, source: String, inputFileID: Int64, at time: Date) throws
        -> ElasticsearchSourceRow
    {
        let row = ElasticsearchSourceRow(
            source: source, inputFileID: inputFileID, windowStart: nil, windowEnd: nil, resumeFrom: nil,
            completedUntil: nil, updatedAt: time)
        try row.insert(db)
        return row
    }

    /// Records the window `start..<end` being read; resuming the window already on record (same end) keeps its
    /// original start.
    public static func beginWindow(_ db: Database, source: String, start: Date, end: Date, at time: Date) throws {
        try db.execute(
            sql: """
                UPDATE elasticsearch_source SET window_start = COALESCE(CASE WHEN window_end = ? THEN window_start END, ?),
                       window_end = ?, updated_at = ? WHERE source = ?
                """,
            arguments: [
                UTCTimestamp.format(end), UTCTimestamp.format(start), UTCTimestamp.format(end),
                UTCTimestamp.format(time), source,
            ])
    }

    /// Records the `@timestamp` of the last hit of a committed page: an unfinished window resumes there.
    public static func resume(_ db: Database, source: String, from last: Date, at time: Date) throws {
        typealias C = ElasticsearchSourceRow.Columns
        try ElasticsearchSourceRow.filter(key: source).updateAll(
            db, C.resumeFrom.set(to: UTCTimestamp.format(last)), C.updatedAt.set(to: UTCTimestamp.format(time)))
    }

    /// Marks the current window read completely.
    public static func completeWindow(_ db: Database, source: String, at time: Date) throws {
        typealias C = ElasticsearchSourceRow.Columns
        try ElasticsearchSourceRow.filter(key: source).updateAll(
            db, C.completedUntil.set(to: C.windowEnd), C.resumeFrom.set(to: nil), C.updatedAt.set(to: UTCTimestamp.format(time)))
    }
}
