import GRDB

/// The Management Activity API as a source: where collection got to per tenant and content type, and which content
/// blobs were fetched.
enum ActivityFeedSchema {
    /// "v3-activity-feed".
    /// - `activity_feed_source`: one row per tenant + content type (`source` = "tenant|contentType");
    ///   `completed_until` is the end of the last window whose blobs were all stored; `subscription_started_at` the
    ///   time this tool started the subscription (content can take up to 12 hours to appear after it).
    /// - `activity_feed_blob`: one row per content blob (keyed by source and content id); `fetched_at` is set in the
    ///   same transaction that marks its `input_file` completed, so a blob is fetched and stored once.
    /// - `activity_feed_gap`: windows the API could no longer serve (older than 7 days) when collection got to them.
    static func create(_ db: Database) throws {
        try db.create(table: "activity_feed_source") { t in
            t.primaryKey("source", .text)
            t.column("tenant", .text).notNull()
            t.column("content_type", .text).notNull()
            t.column("subscription_started_at", .text)
            t.column("completed_until", .text)
            t.column("updated_at", .text).notNull()
        }
        try db.create(table: "activity_feed_blob") { t in
            t.column("source", .text).notNull().references("activity_feed_source")
            t.column("content_id", .text).notNull()
            t.column("content_created", .text)
            t.column("content_expiration", .text)
            t.column("window_start", .text).notNull()
            t.column("window_end", .text).notNull()
            t.column("input_file_id", .integer).references("input_file")
            t.column("listed_at", .text).notNull()
            t.column("fetched_at", .text)
            t.primaryKey(["source", "content_id"])
        }
        try db.create(table: "activity_feed_gap") { t in
            t.column("source", .text).notNull().references("activity_feed_source")
            t.column("gap_start", .text).notNull()
            t.column("gap_end", .text).notNull()
            t.column("noted_at", .text).notNull()
            t.primaryKey(["source", "gap_start"])
        }
    }
}
