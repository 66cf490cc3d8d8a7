import Core
import Foundation
import GRDB

/// One row of `elasticsearch_source`: where reading one cluster source (URL + index pattern) got to.
public struct ElasticsearchSourceRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "elasticsearch_source"

    public enum Columns {
        public static let source = Column("source")
        public static let inputFileID = Column("input_file_id")
        public static let windowStart = Column("window_start")
        public static let windowEnd = Column("window_end")
        public static let resumeFrom = Column("resume_from")
        public static let completedUntil = Column("completed_until")
        public static let updatedAt = Column("updated_at")
    }

    /// "elasticsearch:<url>|<index>".
    public var source: String
    /// The source's `input_file` row, which owns its coverage and its stored events' origin.
    public var inputFileID: Int64
    /// The time window being read.
    public var windowStart: Date?
    public var windowEnd: Date?
    /// The `@timestamp` of the last committed page's last hit (nil: the window starts fresh).
    public var resumeFrom: Date?
    /// The end of the last window read completely.
    public var completedUntil: Date?
    public var updatedAt: Date

    public init(
        source: String, inputFileID: Int64, windowStart: Date?, windowEnd: Date?, resumeFrom: Date?,
        completedUntil: Date?, updatedAt: Date
    ) {
        self.source = source
        self.inputFileID = inputFileID
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.resumeFrom = resumeFrom
        self.completedUntil = completedUntil
        self.updatedAt = updatedAt
    }

    public init(row: Row) throws {
        source = try row.decode(String.self, forColumn: Columns.source)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: source)
        func optionalDate(_ column: Column) throws -> Date? {
            try decoding.dateIfPresent(try row.decode(String?.self, forColumn: column), column: column.name)
        }
        inputFileID = try row.decode(Int64.self, forColumn: Columns.inputFileID)
        windowStart = try optionalDate(Columns.windowStart)
        windowEnd = try optionalDate(Columns.windowEnd)
        resumeFrom = try optionalDate(Columns.resumeFrom)
        completedUntil = try optionalDate(Columns.completedUntil)
        updatedAt = try decoding.date(try row.decode(String.self, forColumn: Columns.updatedAt), column: Columns.updatedAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.source] = source
        container[Columns.inputFileID] = inputFileID
        container[Columns.windowStart] = windowStart.map(UTCTimestamp.format)
        container[Columns.windowEnd] = windowEnd.map(UTCTimestamp.format)
        container[Columns.resumeFrom] = resumeFrom.map(UTCTimestamp.format)
        container[Columns.completedUntil] = completedUntil.map(UTCTimestamp.format)
        container[Columns.updatedAt] = UTCTimestamp.format(updatedAt)
    }
}
