import Core
import Foundation
import GRDB

/// One row of `ingest_run`: one `ingest` (or cluster, or Management Activity API) run, with the rules it kept events
/// for, so a rule added later can tell which earlier runs never applied it.
public struct IngestRunRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ingest_run"

    public enum Columns {
        public static let id = Column("id")
        public static let startedAt = Column("started_at")
        public static let finishedAt = Column("finished_at")
        public static let ruleSetDigest = Column("rule_set_digest")
        public static let ruleIDs = Column("rule_ids")
        public static let files = Column("files")
        public static let records = Column("records")
        public static let eventsStored = Column("events_stored")
        public static let duplicates = Column("duplicates")
        public static let skipped = Column("skipped")
    }

    /// SQLite's id, assigned when the row is inserted (0 before): the record never writes it.
    public var id: Int64
    public var startedAt: Date
    /// Nil while the run is under way (or when it was cut off).
    public var finishedAt: Date?
    public var ruleSetDigest: String
    /// The rules whose events the run kept; stored as a JSON array.
    public var ruleIDs: [String]
    public var files: Int
    public var records: Int
    public var eventsStored: Int
    public var duplicates: Int
    public var skipped: Int

    public init(
        id: Int64, startedAt: Date, finishedAt: Date?, ruleSetDigest: String, ruleIDs: [String], files: Int,
        records: Int, eventsStored: Int, duplicates: Int, skipped: Int
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.ruleSetDigest = ruleSetDigest
        self.ruleIDs = ruleIDs
        self.files = files
        self.records = records
        self.eventsStored = eventsStored
        self.duplicates = duplicates
        self.skipped = skipped
    }

    public init(row: Row) throws {
        id = try row.decode(Int64.self, forColumn: Columns.id)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: String(id))
        startedAt = try decoding.date(try row.decode(String.self, forColumn: Columns.startedAt), column: Columns.startedAt.name)
        finishedAt = try decoding.dateIfPresent(
            try row.decode(String?.self, forColumn: Columns.finishedAt), column: Columns.finishedAt.name)
        ruleSetDigest = try row.decode(String.self, forColumn: Columns.ruleSetDigest)
        ruleIDs = try decoding.stringList(try row.decode(String.self, forColumn: Columns.ruleIDs), column: Columns.ruleIDs.name)
        files = try row.decode(Int.self, forColumn: Columns.files)
        records = try row.decode(Int.self, forColumn: Columns.records)
        eventsStored = try row.decode(Int.self, forColumn: Columns.eventsStored)
        duplicates = try row.decode(Int.self, forColumn: Columns.duplicates)
        skipped = try row.decode(Int.self, forColumn: Columns.skipped)
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container[Columns.startedAt] = UTCTimestamp.format(startedAt)
        container[Columns.finishedAt] = finishedAt.map(UTCTimestamp.format)
        container[Columns.ruleSetDigest] = ruleSetDigest
        container[Columns.ruleIDs] = try JSONCoding.string(ruleIDs, pretty: false)
        container[Columns.files] = files
        container[Columns.records] = records
        container[Columns.eventsStored] = eventsStored
        container[Columns.duplicates] = duplicates
        container[Columns.skipped] = skipped
    }
}
