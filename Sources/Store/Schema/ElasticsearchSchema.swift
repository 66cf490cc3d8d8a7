import GRDB

/// Elasticsearch as a source (ingest checkpoints per cluster and index pattern) and as a sink (alert delivery).
enum ElasticsearchSchema {
    /// "v2-elasticsearch-source": where a cluster search got to. One row per source (cluster URL + index pattern);
    /// `input_file_id` is the source's `input_file` row, which owns its coverage and stored events' origin.
    /// `window_start`/`window_end` is the time window being read; `resume_from` the `@timestamp` of the last committed
    /// page's last hit (nil: the window starts fresh); `completed_until` the end of the last window read completely.
    static func createSource(_ db: Database) throws {
        try db.create(table: "elasticsearch_source") { t in
            t.primaryKey("source", .text)
            t.column("input_file_id", .integer).notNull().references("input_file")
            t.column("window_start", .text)
            t.column("window_end", .text)
            t.column("resume_from", .text)
            t.column("completed_until", .text)
            t.column("updated_at", .text).notNull()
        }
    }

    /// "v2-alert-delivery": an alert sent to a cluster index counts as delivered only once the cluster acknowledged
    /// it (`delivered_at` set); failed attempts keep their last error and are retried by the next run.
    static func createAlertDelivery(_ db: Database) throws {
        try db.create(table: "alert_delivery") { t in
            t.column("alert_id", .integer).notNull().references("alert")
            t.column("destination", .text).notNull()  // cluster URL + index
            t.column("document_id", .text).notNull()
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.column("last_error", .text)
            t.column("delivered_at", .text)
            t.primaryKey(["alert_id", "destination"])
        }
    }
}
