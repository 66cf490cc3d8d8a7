import Core
import Foundation
import GRDB

/// A span the Office 365 Management Activity API could no longer serve when `collect` got to it (content is kept for
/// seven days): its records were never collected, so nothing can be concluded about it from this database.
public struct LostCollectionWindow: Sendable, Hashable, Codable {
    /// The content type whose records are missing (`Audit.Exchange`, …).
    public var contentType: String
    public var start: Date
    public var end: Date

    public init(contentType: String, start: Date, end: Date) {
        self.contentType = contentType
        self.start = start
        self.end = end
    }
}

/// Reads the windows `collect` recorded as lost (table `activity_feed_gap`, migration v3-activity-feed).
public enum CollectionGapStore {
    /// The tenant's lost windows that overlap `from..<to`, oldest first. A stored time that does not parse is an
    /// error, never a window quietly dropped.
    public static func lostWindows(_ db: Database, tenant: TenantID, from: Date, to: Date) throws -> [LostCollectionWindow] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.content_type, g.gap_start, g.gap_end
                FROM activity_feed_gap g JOIN activity_feed_source s ON s.source = g.source
                WHERE s.tenant = ? AND g.gap_end > ? AND g.gap_start < ?
                ORDER BY g.gap_start, s.content_type
                """,
            arguments: [tenant.rawValue, UTCTimestamp.format(from), UTCTimestamp.format(to)])
        return try rows.map { row in
            let startText: String = row["gap_start"]
            let endText: String = row["gap_end"]
            guard let start = UTCTimestamp.parse(startText), let end = UTCTimestamp.parse(endText) else {
                throw CollectionGapStoreError.unreadableTime("\(startText)..\(endText)")
            }
            return LostCollectionWindow(contentType: row["content_type"], start: start, end: end)
        }
    }
}

public enum CollectionGapStoreError: Error, CustomStringConvertible {
    case unreadableTime(String)

    public var description: String {
        switch self {
        case .unreadableTime(let text): "activity_feed_gap holds a time that does not parse: \(text)"
        }
    }
}
