import Foundation

/// Which time windows one `collect` lists, and which stretch of time is lost because the API no longer serves it.
///
/// The API lists content by when it became available, in windows of at most 24 hours that start no more than
/// 7 days back. Blobs become available late (typically 60–90 minutes after the events, sometimes much more), so
/// every run looks back `lookBack` before the end of the last completed window; blobs already fetched are
/// recognised by content id and not fetched again.
public struct ActivityCollectionPlan: Sendable, Hashable {
    /// A stretch of time the API can no longer serve: records in it must come from `Search-UnifiedAuditLog` or a
    /// Purview audit export.
    public struct Gap: Sendable, Hashable, Codable {
        public var start: Date
        public var end: Date
    }

    public var windows: [DateInterval]
    public var lost: Gap?

    /// How far back the API serves content.
    public static let retention: TimeInterval = 7 * 86_400
    /// The longest window one content request may ask for.
    public static let maxWindow: TimeInterval = 86_400
    /// Kept clear of the 7-day edge: the server's clock decides, and the request takes time to arrive.
    public static let edgeMargin: TimeInterval = 600
    public static let defaultLookBack: TimeInterval = 4 * 3_600

    /// - Parameters:
    ///   - completedUntil: the end of the last window whose blobs were all fetched (nil: never collected).
    ///   - since: `--since`: where the user wants collection to start (overrides the checkpoint).
    public static func make(
        completedUntil: Date?, since: Date?, now: Date, lookBack: TimeInterval = defaultLookBack
    ) -> ActivityCollectionPlan {
        let oldestServed = now.addingTimeInterval(-retention + edgeMargin)
        // First run without --since: everything the API still holds.
        let wanted = since ?? completedUntil.map { $0.addingTimeInterval(-lookBack) } ?? oldestServed
        var lost: Gap?
        if wanted < oldestServed {
            // The checkpoint's own end is what was really missed; the look-back before it was read already.
            let missedFrom = since ?? completedUntil ?? wanted
            if missedFrom < oldestServed { lost = Gap(start: missedFrom, end: oldestServed) }
        }
        var start = max(wanted, oldestServed)
        var windows: [DateInterval] = []
        while start < now {
            let end = min(start.addingTimeInterval(maxWindow), now)
            windows.append(DateInterval(start: start, end: end))
            start = end
        }
        return ActivityCollectionPlan(windows: windows, lost: lost)
    }
}
