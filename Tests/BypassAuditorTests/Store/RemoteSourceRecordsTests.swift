import Foundation
import GRDB
import Testing

@testable import Core
@testable import Store

/// Store's records for the remote sources: the Management Activity API's checkpoints, blobs and lost windows, and
/// the cluster sources' checkpoints.
@Suite struct RemoteSourceRecordsTests {
    typealias T = StoreTestDatabase

    @Test("an activity-feed source is created once; its subscription start and checkpoint are recorded")
    func activityFeedSourceCheckpoint() throws {
        let database = try T.make()
        try database.write { db throws in
            let created = try ActivityFeedRecords.source(
                db, source: "t|Audit.Exchange", tenant: "t", contentType: "Audit.Exchange", at: T.time(1))
            #expect(created.completedUntil == nil && created.subscriptionStartedAt == nil && created.updatedAt == T.time(1))
            try ActivityFeedRecords.noteSubscriptionStarted(db, source: "t|Audit.Exchange", startedAt: T.time(5), at: T.time(6))
            try ActivityFeedRecords.complete(db, source: "t|Audit.Exchange", until: T.time(100), at: T.time(7))
            try ActivityFeedRecords.complete(db, source: "t|Audit.Exchange", until: T.time(50), at: T.time(8))
            let again = try ActivityFeedRecords.source(
                db, source: "t|Audit.Exchange", tenant: "ignored", contentType: "ignored", at: T.time(9))
            #expect(again.tenant == "t" && again.subscriptionStartedAt == T.time(5))
            #expect(again.completedUntil == T.time(100), "a checkpoint never moves back")
            #expect(again.updatedAt == T.time(8))
            #expect(try ActivityFeedSourceRow.fetchCount(db) == 1)
        }
    }

    @Test("a lost window is noted once per start, widened when noted again, and chained each time")
    func activityFeedGapsWidenAndChain() throws {
        let database = try T.make()
        try database.write { db throws in
            _ = try ActivityFeedRecords.source(db, source: "s", tenant: "t", contentType: "Audit.Exchange", at: T.time(0))
            try ActivityFeedRecords.noteGap(db, ActivityFeedGapRow(source: "s", gapStart: T.time(10), gapEnd: T.time(20), notedAt: T.time(1)))
            try ActivityFeedRecords.noteGap(db, ActivityFeedGapRow(source: "s", gapStart: T.time(10), gapEnd: T.time(30), notedAt: T.time(2)))
            try ActivityFeedRecords.noteGap(db, ActivityFeedGapRow(source: "s", gapStart: T.time(10), gapEnd: T.time(25), notedAt: T.time(3)))
            let gaps = try ActivityFeedGapRow.fetchAll(db)
            #expect(gaps == [ActivityFeedGapRow(source: "s", gapStart: T.time(10), gapEnd: T.time(30), notedAt: T.time(1))])
            #expect(try T.ledgerEntries(db, kind: .collectionGap) == 3)
            let lost = try CollectionGapStore.lostWindows(db, tenant: TenantID("t"), from: T.time(0), to: T.time(100))
            #expect(lost == [LostCollectionWindow(contentType: "Audit.Exchange", start: T.time(10), end: T.time(30))])
        }
    }

    @Test("fetched blobs are told from listed ones, across more ids than one look-up holds")
    func activityFeedFetchedBlobs() throws {
        let database = try T.make()
        let ids = (0..<1_100).map { "blob-\($0)" }
        try database.write { db throws in
            _ = try ActivityFeedRecords.source(db, source: "s", tenant: "t", contentType: "Audit.Exchange", at: T.time(0))
            _ = try ActivityFeedRecords.source(db, source: "other", tenant: "t", contentType: "Audit.General", at: T.time(0))
            let file = try InputFileRecords.create(db, identity: "k", path: "k", headDigest: "", headLength: 0, size: nil, at: T.time(0))
            for id in ids where id.hasSuffix("7") || id == "blob-1099" {
                try ActivityFeedRecords.markFetched(
                    db,
                    ActivityFeedBlobRow(
                        source: "s", contentID: id, contentCreated: "2026-10-05T00:00:00.000Z", contentExpiration: nil,
                        windowStart: T.time(0), windowEnd: T.time(60), inputFileID: file.id, listedAt: T.time(5),
                        fetchedAt: T.time(5)))
            }
            try db.execute(
                sql: """
                    INSERT INTO activity_feed_blob (source, content_id, window_start, window_end, listed_at)
                    VALUES ('s', 'blob-1', ?, ?, ?)
                    """,
                arguments: [UTCTimestamp.format(T.time(0)), UTCTimestamp.format(T.time(60)), UTCTimestamp.format(T.time(1))])
        }
        let fetched = try database.read { db in try ActivityFeedRecords.fetchedContentIDs(db, source: "s", among: ids) }
        #expect(fetched == Set(ids.filter { $0.hasSuffix("7") || $0 == "blob-1099" }), "a listed, unfetched blob is not fetched")
        #expect(try database.read { db in try ActivityFeedRecords.fetchedContentIDs(db, source: "other", among: ids) }.isEmpty)
        // Fetching a blob listed before keeps its listing and sets its fetch.
        try database.write { db throws in
            try ActivityFeedRecords.markFetched(
                db,
                ActivityFeedBlobRow(
                    source: "s", contentID: "blob-1", contentCreated: "changed", contentExpiration: "x",
                    windowStart: T.time(100), windowEnd: T.time(200), inputFileID: nil, listedAt: T.time(9),
                    fetchedAt: T.time(9)))
        }
        let blob = try #require(try database.read { db in try ActivityFeedBlobRow.fetchOne(db, key: ["source": "s", "content_id": "blob-1"]) })
        #expect(blob.fetchedAt == T.time(9) && blob.listedAt == T.time(1) && blob.windowStart == T.time(0))
        #expect(blob.contentCreated == nil)
    }

    @Test("a cluster source's window is begun, resumed, and completed; resuming the same window keeps its start")
    func elasticsearchSourceWindows() throws {
        let database = try T.make()
        try database.write { db throws in
            #expect(try ElasticsearchSourceRecords.find(db, source: "es") == nil)
            let file = try InputFileRecords.create(
                db, identity: "es", path: "es", headDigest: "", headLength: 0, size: nil, format: "ecs-search-response",
                at: T.time(0))
            try ElasticsearchSourceRecords.create(db, source: "es", inputFileID: file.id, at: T.time(0))
            try ElasticsearchSourceRecords.beginWindow(db, source: "es", start: T.time(10), end: T.time(100), at: T.time(1))
            try ElasticsearchSourceRecords.resume(db, source: "es", from: T.time(40), at: T.time(2))
            try ElasticsearchSourceRecords.beginWindow(db, source: "es", start: T.time(40), end: T.time(100), at: T.time(3))
            var row = try #require(try ElasticsearchSourceRecords.find(db, source: "es"))
            #expect(row.inputFileID == file.id && row.windowStart == T.time(10) && row.windowEnd == T.time(100))
            #expect(row.resumeFrom == T.time(40) && row.completedUntil == nil && row.updatedAt == T.time(3))
            try ElasticsearchSourceRecords.completeWindow(db, source: "es", at: T.time(4))
            row = try #require(try ElasticsearchSourceRecords.find(db, source: "es"))
            #expect(row.completedUntil == T.time(100) && row.resumeFrom == nil)
            try ElasticsearchSourceRecords.beginWindow(db, source: "es", start: T.time(90), end: T.time(200), at: T.time(5))
            row = try #require(try ElasticsearchSourceRecords.find(db, source: "es"))
            #expect(row.windowStart == T.time(90) && row.windowEnd == T.time(200), "a new window starts where it says")
            #expect(try InputFileRecords.find(db, identity: "es")?.format == "ecs-search-response")
            try db.execute(sql: "UPDATE elasticsearch_source SET resume_from = 'later'")
        }
        T.expectUndecodable(table: "elasticsearch_source", column: "resume_from") {
            _ = try database.read { db in try ElasticsearchSourceRecords.find(db, source: "es") }
        }
    }
}
