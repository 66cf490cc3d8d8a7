import Core
import Store
import Foundation
import GRDB

/// The checkpoint of one tenant + content type in the store (tables of "v3-activity-feed").
struct ActivityFeedStore: Sendable {
    let database: AuditDatabase
    let tenant: String
    let contentType: ActivityContentType
    var source: String { "\(tenant)|\(contentType.rawValue)" }

    struct State: Sendable {
        var completedUntil: Date?
        var subscriptionStartedAt: Date?
    }

    /// The source's state, its row created on first use.
    func state() throws -> State {
        try database.write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT completed_until, subscription_started_at FROM activity_feed_source WHERE source = ?",
                arguments: [source])
            {
                return State(
                    completedUntil: (row["completed_until"] as String?).flatMap(UTCTimestamp.parse),
                    subscriptionStartedAt: (row["subscription_started_at"] as String?).flatMap(UTCTimestamp.parse))
            }
            try db.execute(
                sql: "INSERT INTO activity_feed_source (source, tenant, content_type, updated_at) VALUES (?, ?, ?, ?)",
                arguments: [source, tenant, contentType.rawValue, UTCTimestamp.format(Date())])
            return State()
        }
    }

    func noteSubscriptionStarted(at time: Date) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE activity_feed_source SET subscription_started_at = ?, updated_at = ? WHERE source = ?",
                arguments: [UTCTimestamp.format(time), UTCTimestamp.format(Date()), source])
        }
    }

    /// Moves the checkpoint to `end` (never backwards: a `--since` run over old windows keeps a later checkpoint).
    func complete(until end: Date) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    UPDATE activity_feed_source SET completed_until = MAX(COALESCE(completed_until, ''), ?),
                           updated_at = ? WHERE source = ?
                    """,
                arguments: [UTCTimestamp.format(end), UTCTimestamp.format(Date()), source])
        }
    }

    func noteGap(_ gap: ActivityCollectionPlan.Gap) throws {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO activity_feed_gap (source, gap_start, gap_end, noted_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (source, gap_start) DO UPDATE SET gap_end = MAX(gap_end, excluded.gap_end)
                    """,
                arguments: [source, UTCTimestamp.format(gap.start), UTCTimestamp.format(gap.end),
                            UTCTimestamp.format(Date())])
            try ChainedTable.collectionGap.record(db, key: [source, UTCTimestamp.format(gap.start)])
        }
    }

    /// Which of `ids` were fetched and stored already.
    func fetched(among ids: [String]) throws -> Set<String> {
        try database.read { db in
            var done = Set<String>()
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
                let marks = part.map { _ in "?" }.joined(separator: ",")
                let rows = try String.fetchAll(
                    db,
                    sql: """
                        SELECT content_id FROM activity_feed_blob
                        WHERE source = ? AND fetched_at IS NOT NULL AND content_id IN (\(marks))
                        """,
                    arguments: StatementArguments([source] + part))
                done.formUnion(rows)
            }
            return done
        }
    }

    /// Records that `content` (listed in `window`) is fetched and stored as input `inputFileID`; runs inside the
    /// transaction that stores the blob's last batch.
    func markFetched(_ content: ActivityContent, window: DateInterval, inputFileID: Int64, _ db: Database) throws {
        let now = UTCTimestamp.format(Date())
        try db.execute(
            sql: """
                INSERT INTO activity_feed_blob (source, content_id, content_created, content_expiration, window_start,
                    window_end, input_file_id, listed_at, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source, content_id) DO UPDATE SET fetched_at = excluded.fetched_at,
                    input_file_id = excluded.input_file_id
                """,
            arguments: [source, content.contentId, content.contentCreated, content.contentExpiration,
                        UTCTimestamp.format(window.start), UTCTimestamp.format(window.end), inputFileID, now, now])
    }

    /// The input identity of a blob: what ties its reads (and a resumed read) together.
    func inputKey(_ content: ActivityContent) -> String {
        "o365-activity:\(source)|\(content.contentId)"
    }
}
