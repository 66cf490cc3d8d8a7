import Core
import Foundation
import GRDB

/// One row of `activity_feed_blob`: a content blob the API listed, and whether it was fetched and stored.
public struct ActivityFeedBlobRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "activity_feed_blob"

    public enum Columns {
        public static let source = Column("source")
        public static let contentID = Column("content_id")
        public static let contentCreated = Column("content_created")
        public static let contentExpiration = Column("content_expiration")
        public static let windowStart = Column("window_start")
        public static let windowEnd = Column("window_end")
        public static let inputFileID = Column("input_file_id")
        public static let listedAt = Column("listed_at")
        public static let fetchedAt = Column("fetched_at")
    }

    public var source: String
    public var contentID: String
    /// The API's own text, kept as it sent it.
    public var contentCreated: String?
    public var contentExpiration: String?
    /// The listing window the blob was found in.
    public var windowStart: Date
    public var windowEnd: Date
    /// The `input_file` its records were read as.
    public var inputFileID: Int64?
    public var listedAt: Date
    /// Set in the transaction that stored its last batch; nil: not stored yet.
    public var fetchedAt: Date?

    public init(
        source: String, contentID: String, contentCreated: String?, contentExpiration: String?, windowStart: Date,
        windowEnd: Date, inputFileID: Int64?, listedAt: Date, fetchedAt: Date?
    ) {
        self.source = source
        self.contentID = contentID
        self.contentCreated = contentCreated
        self.contentExpiration = contentExpiration
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.inputFileID = inputFileID
        self.listedAt = listedAt
        self.fetchedAt = fetchedAt
    }

    public init(row: Row) throws {
        source = try row.decode(String.self, forColumn: Columns.source)
        contentID = try row.decode(String.self, forColumn: Columns.contentID)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: "\(source)|\(contentID)")
        contentCreated = try row.decode(String?.self, forColumn: Columns.contentCreated)
        contentExpiration = try row.decode(String?.self, forColumn: Columns.contentExpiration)
        windowStart = try decoding.date(try row.decode(String.self, forColumn: Columns.windowStart), column: Columns.windowStart.name)
        windowEnd = try decoding.date(try row.decode(String.self, forColumn: Columns.windowEnd), column: Columns.windowEnd.name)
        inputFileID = try row.decode(Int64?.self, forColumn: Columns.inputFileID)
        listedAt = try decoding.date(try row.decode(String.self, forColumn: Columns.listedAt), column: Columns.listedAt.name)
        fetchedAt = try decoding.dateIfPresent(
            try row.decode(String?.self, forColumn: Columns.fetchedAt), column: Columns.fetchedAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.source] = source
        container[Columns.contentID] = contentID
        container[Columns.contentCreated] = contentCreated
        container[Columns.contentExpiration] = contentExpiration
        container[Columns.windowStart] = UTCTimestamp.format(windowStart)
        container[Columns.windowEnd] = UTCTimestamp.format(windowEnd)
        container[Columns.inputFileID] = inputFileID
        container[Columns.listedAt] = UTCTimestamp.format(listedAt)
        container[Columns.fetchedAt] = fetchedAt.map(UTCTimestamp.format)
    }
}
