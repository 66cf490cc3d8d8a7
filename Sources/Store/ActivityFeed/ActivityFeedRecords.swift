import Core
import Foundation
import GRDB

/// The tables of the Management Activity API as a source (`activity_feed_source`, `activity_feed_blob`,
/// `activity_feed_gap`): where collection got to per tenant and content type, which blobs were stored, and which
/// windows were lost.
public enum ActivityFeedRecords {
    /// Blob ids are looked up this many at a time (SQLite caps the number of bound parameters).
    static let lookupChunk = 500

    /// The source's row, created (nothing collected yet) on first use.
    public static func source(
        _ db: Database, source: String, tenant: String, contentType: String, at time: Date
    ) throws -> ActivityFeedSourceRow {
        if let row = try ActivityFeedSourceRow.fetchOne(db, key: source) { return row }
        let row = ActivityFeedSourceRow(
            source: source, tenant: tenant, contentType: contentType, subscriptionStartedAt: nil, completedUntil: nil,
            updatedAt: time)
        try row.insert(db)
        return row
    }

    /// Records when this tool started the source's subscription.
    public static func noteSubscriptionStarted(_ db: Database, source: String, startedAt: Date, at time: Date) throws {
        typealias C = ActivityFeedSourceRow.Columns
        try ActivityFeedSourceRow.filter(key: source).updateAll(
            db, C.subscriptionStartedAt.set(to: UTCTimestamp.format(startedAt)), C.updatedAt.set(to: UTCTimestamp.format(time)))
    }

    /// Moves the source's checkpoint to `end`, never backwards (a `--since` run over old windows keeps a later one).
    public static func complete(_ db: Database, source: String, until end: Date, at time: Date) throws {
        try db.execute(
            sql: """
                UPDATE activity_feed_source SET completed_until = MAX(COALESCE(completed_until, ''), ?),
                       updated_at = ? WHERE source = ?
                """,
            arguments: [UTCTimestamp.format(end), UTCTimestamp.format(time), source])
    }

    /// Records a lost window (widening one noted before from the same start) and chains it.
    public static func noteGap(_ db: Database, _ gap: ActivityFeedGapRow) throws {
        try db.execute(
            sql: """
                INSERT INTO activity_feed_gap (source, gap_start, gap_end, noted_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (source, gap_start) DO UPDATE SET gap_end = MAX(gap_end, excluded.gap_end)
                """,
            arguments: [
                gap.source, UTCTimestamp.format(gap.gapStart), UTCTimestamp.format(gap.gapEnd),
                UTCTimestamp.format(gap.notedAt),
            ])
        try ChainedTable.collectionGap.record(db, key: [gap.source, UTCTimestamp.format(gap.gapStart)])
    }

    /// Which of `contentIDs` the source has fetched and stored.
    public static func fetchedContentIDs(_ db: Database, source: String, among contentIDs: [String]) throws -> Set<String> {
        typealias C = ActivityFeedBlobRow.Columns
        var done = Set<String>()
        for start in stride(from: 0, to: contentIDs.count, by: lookupChunk) {
            let part = contentIDs[start..<min(start + lookupChunk, contentIDs.count)]
            let ids = try String.fetchAll(
                db,
                ActivityFeedBlobRow.select(C.contentID)
                    .filter(C.source == source && C.fetchedAt != nil && part.contains(C.contentID)))
            done.formUnion(ids)
        }
        return done
    }

    /// Records that `blob` is fetched and stored (as input `blob.inputFileID`, at `blob.fetchedAt`). A blob listed
    /// before keeps its listing; only its fetch time and input change.
    public static func markFetched(_ db: Database, _ blob: ActivityFeedBlobRow) throws {
        try db.execute(
            sql: """
                INSERT INTO activity_feed_blob (source, content_id, content_created, content_expiration, window_start,
                    window_end, input_file_id, listed_at, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source, content_id) DO UPDATE SET fetched_at = excluded.fetched_at,
                    input_file_id = excluded.input_file_id
                """,
            arguments: [
                blob.source, blob.contentID, blob.contentCreated, blob.contentExpiration,
                UTCTimestamp.format(blob.windowStart), UTCTimestamp.format(blob.windowEnd), blob.inputFileID,
                UTCTimestamp.format(blob.listedAt), blob.fetchedAt.map(UTCTimestamp.format),
            ])
    }
}
