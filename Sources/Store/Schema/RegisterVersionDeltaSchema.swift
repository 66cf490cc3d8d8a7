import GRDB

/// Register versions stored compactly: an edit changes one region of a file that may be tens of megabytes.
enum RegisterVersionDeltaSchema {
    /// "v4-allowlist-version-delta".
    /// - `allowlist_version_delta`: a version (its `allowlist_version` row keeps `content` empty) rebuilt from the
    ///   version it was derived from: the first `prefix_bytes` and the last `suffix_bytes` of the base's UTF-8 text
    ///   with `middle` (UTF-8 bytes) between them. `depth` is the number of deltas down to a version stored in full;
    ///   it is capped so that rebuilding a version stays cheap.
    static func create(_ db: Database) throws {
        try db.create(table: "allowlist_version_delta") { t in
            t.primaryKey("version_id", .integer).references("allowlist_version")
            t.column("base_version_id", .integer).notNull().references("allowlist_version")
            t.column("prefix_bytes", .integer).notNull()
            t.column("suffix_bytes", .integer).notNull()
            t.column("middle", .blob).notNull()
            t.column("depth", .integer).notNull()
        }
    }
}
