import Core
import Store
import Foundation
import GRDB

/// The checkpoint of one tenant + content type in the store (tables of "v3-activity-feed").
struct ActivityFeedStore: Sendable {
    let database: AuditDatabase
    let tenant: String
    let contentType: ActivityContentType
    var source: String { "\(tenant)|\(contentType.rawValue)" }

    struct State: Sendable {
        var completedUntil: Date?
        var subscriptionStartedAt: Date?
    }

    /// The source's state, its row created on first use.
    func state() throws -> State {
        try database.write { db in
            let row = try ActivityFeedRecords.source(
                db, source: source, tenant: tenant, contentType: contentType.rawValue, at: Date())
            return State(completedUntil: row.completedUntil, subscriptionStartedAt: row.subscriptionStartedAt)
        }
    }

    func noteSubscriptionStarted(at time: Date) throws {
        try database.write { db in
            try ActivityFeedRecords.noteSubscriptionStarted(db, source: source, startedAt: time, at: Date())
        }
    }

    /// Moves the checkpoint to `end` (never backwards: a `--since` run over old windows keeps a later checkpoint).
    func complete(until end: Date) throws {
        try database.write { db in try ActivityFeedRecords.complete(db, source: source, until: end, at: Date()) }
    }

    func noteGap(_ gap: ActivityCollectionPlan.Gap) throws {
        try database.write { db in
            try ActivityFeedRecords.noteGap(
                db, ActivityFeedGapRow(source: source, gapStart: gap.start, gapEnd: gap.end, notedAt: Date()))
        }
    }

    /// Which of `ids` were fetched and stored already.
    func fetched(among ids: [String]) throws -> Set<String> {
        try database.read { db in try ActivityFeedRecords.fetchedContentIDs(db, source: source, among: ids) }
    }

    /// Records that `content` (listed in `window`) is fetched and stored as input `inputFileID`; runs inside the
    /// transaction that stores the blob's last batch.
    func markFetched(_ content: ActivityContent, window: DateInterval, inputFileID: Int64, _ db: Database) throws {
        let now = Date()
        try ActivityFeedRecords.markFetched(
            db,
            ActivityFeedBlobRow(
                source: source, contentID: content.contentId, contentCreated: content.contentCreated,
                contentExpiration: content.contentExpiration, windowStart: window.start, windowEnd: window.end,
                inputFileID: inputFileID, listedAt: now, fetchedAt: now))
    }

    /// The input identity of a blob: what ties its reads (and a resumed read) together.
    func inputKey(_ content: ActivityContent) -> String {
        "o365-activity:\(source)|\(content.contentId)"
    }
}
