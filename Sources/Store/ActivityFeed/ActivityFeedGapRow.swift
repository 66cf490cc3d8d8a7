import Core
import Foundation
import GRDB

/// One row of `activity_feed_gap`: a window the API could no longer serve (older than 7 days) when collection got to
/// it. Chained in the ledger (`ChainedTable.collectionGap`): each is a coverage-gap finding.
public struct ActivityFeedGapRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "activity_feed_gap"

    public enum Columns {
        public static let source = Column("source")
        public static let gapStart = Column("gap_start")
        public static let gapEnd = Column("gap_end")
        public static let notedAt = Column("noted_at")
    }

    public var source: String
    public var gapStart: Date
    public var gapEnd: Date
    public var notedAt: Date

    public init(source: String, gapStart: Date, gapEnd: Date, notedAt: Date) {
        self.source = source
        self.gapStart = gapStart
        self.gapEnd = gapEnd
        self.notedAt = notedAt
    }

    public init(row: Row) throws {
        source = try row.decode(String.self, forColumn: Columns.source)
        let startText = try row.decode(String.self, forColumn: Columns.gapStart)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: "\(source)|\(startText)")
        gapStart = try decoding.date(startText, column: Columns.gapStart.name)
        gapEnd = try decoding.date(try row.decode(String.self, forColumn: Columns.gapEnd), column: Columns.gapEnd.name)
        notedAt = try decoding.date(try row.decode(String.self, forColumn: Columns.notedAt), column: Columns.notedAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.source] = source
        container[Columns.gapStart] = UTCTimestamp.format(gapStart)
        container[Columns.gapEnd] = UTCTimestamp.format(gapEnd)
        container[Columns.notedAt] = UTCTimestamp.format(notedAt)
    }
}
