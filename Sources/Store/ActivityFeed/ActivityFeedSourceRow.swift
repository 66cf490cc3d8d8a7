import Core
import Foundation
import GRDB

/// One row of `activity_feed_source`: where collection from the Management Activity API got to for one tenant and
/// content type.
public struct ActivityFeedSourceRow: Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "activity_feed_source"

    public enum Columns {
        public static let source = Column("source")
        public static let tenant = Column("tenant")
        public static let contentType = Column("content_type")
        public static let subscriptionStartedAt = Column("subscription_started_at")
        public static let completedUntil = Column("completed_until")
        public static let updatedAt = Column("updated_at")
    }

    /// "tenant|contentType".
    public var source: String
    public var tenant: String
    public var contentType: String
    /// When this tool started the subscription (content can take up to 12 hours to appear after it).
    public var subscriptionStartedAt: Date?
    /// The end of the last window whose blobs were all stored.
    public var completedUntil: Date?
    public var updatedAt: Date

    public init(
        source: String, tenant: String, contentType: String, subscriptionStartedAt: Date?, completedUntil: Date?,
        updatedAt: Date
    ) {
        self.source = source
        self.tenant = tenant
        self.contentType = contentType
        self.subscriptionStartedAt = subscriptionStartedAt
        self.completedUntil = completedUntil
        self.updatedAt = updatedAt
    }

    public init(row: Row) throws {
        source = try row.decode(String.self, forColumn: Columns.source)
        let decoding = StoredRowDecoding(table: Self.databaseTableName, row: source)
        tenant = try row.decode(String.self, forColumn: Columns.tenant)
        contentType = try row.decode(String.self, forColumn: Columns.contentType)
        subscriptionStartedAt = try decoding.dateIfPresent(
            try row.decode(String?.self, forColumn: Columns.subscriptionStartedAt),
            column: Columns.subscriptionStartedAt.name)
        completedUntil = try decoding.dateIfPresent(
            try row.decode(String?.self, forColumn: Columns.completedUntil), column: Columns.completedUntil.name)
        updatedAt = try decoding.date(try row.decode(String.self, forColumn: Columns.updatedAt), column: Columns.updatedAt.name)
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.source] = source
        container[Columns.tenant] = tenant
        container[Columns.contentType] = contentType
        container[Columns.subscriptionStartedAt] = subscriptionStartedAt.map(UTCTimestamp.format)
        container[Columns.completedUntil] = completedUntil.map(UTCTimestamp.format)
        container[Columns.updatedAt] = UTCTimestamp.format(updatedAt)
    }
}
