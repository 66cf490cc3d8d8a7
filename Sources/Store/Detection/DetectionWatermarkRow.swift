import Core
import Foundation
import GRDB

/// One row of `detection_watermark`: how far a rule has read the event store (event rowids), and with which query.
public struct DetectionWatermarkRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "detection_watermark"

    public enum Columns {
        public static let ruleID = Column("rule_id")
        public static let lastRowID = Column("last_rowid")
        public static let queryDigest = Column("query_digest")
        public static let updatedAt = Column("updated_at")
    }

    public var ruleID: String
    /// The rule has evaluated every event with a rowid up to this one.
    public var lastRowID: Int64
    /// The SHA-256 of the query it read them with: another query starts over.
    public var queryDigest: String
    public var updatedAt: Date

    public init(ruleID: String, lastRowID: Int64, queryDigest: String, updatedAt: Date) {
        self.ruleID = ruleID
        self.lastRowID = lastRowID
        self.queryDigest = queryDigest
        self.updatedAt = updatedAt
    }

    public init(row: Row) throws {
        ruleID = try row.decode(String.self, forColumn: Columns.ruleID)
        lastRowID = try row.decode(Int64.self, forColumn: Columns.lastRowID)
        queryDigest = try row.decode(String.self, forColumn: Columns.queryDigest)
        updatedAt = try StoredRowDecoding(table: Self.databaseTableName, row: ruleID)
            .date(try row.decode(String.self, forColumn: Columns.updatedAt), column: Columns.updatedAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.ruleID] = ruleID
        container[Columns.lastRowID] = lastRowID
        container[Columns.queryDigest] = queryDigest
        container[Columns.updatedAt] = UTCTimestamp.format(updatedAt)
    }
}
